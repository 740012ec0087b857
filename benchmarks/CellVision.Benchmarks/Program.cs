using System.CommandLine.Invocation;
using CellVision.Benchmarks.Commands;

namespace CellVision.Benchmarks;

/// <summary>
/// Runs one hand-written benchmark by verb (see <c>--help</c>), or without a verb the BenchmarkDotNet suite.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var parsed = BenchmarkRoot.Create().Parse(args);

        // A bad value gets its one error line, not the whole help after it; --help is one call away.
        if (parsed.Action is ParseErrorAction error)
        {
            error.ShowHelp = false;
            error.ShowTypoCorrections = false;
        }

        return parsed.Invoke();
    }
}
