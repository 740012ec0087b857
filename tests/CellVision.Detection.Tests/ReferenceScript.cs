using System.Diagnostics;

namespace CellVision.Detection.Tests;

/// <summary>Runs a reference script from Golden/ with Debian's /usr/bin/python3 and fails the test on a non-zero exit.</summary>
internal static class ReferenceScript
{
    internal static void Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Golden", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
    }
}
