using System.Diagnostics;

namespace CellVision.Tracking.Tests.Flow;

/// <summary>Runs a reference script from Golden/Flow/ with Debian's /usr/bin/python3 and fails the test on a non-zero exit.</summary>
internal static class FlowReferenceScript
{
    internal static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Golden", "Flow", file);

    internal static void Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(PathOf(script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{script} failed: {error}{output.Result}");
    }
}
