using System.Diagnostics;

namespace CellVision.IO.Tests;

/// <summary>Runs the committed reference scripts with Debian's interpreter, which has python3-zarr and numcodecs.</summary>
internal static class PythonReference
{
    internal static string Run(string script, params string[] arguments)
    {
        const string interpreter = "/usr/bin/python3";
        Assert.True(File.Exists(interpreter), $"{interpreter} is missing: install python3-zarr (the README's test command does).");
        var start = new ProcessStartInfo(interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Interop", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(300_000), $"{script} did not finish within 300 s.");
        Assert.True(process.ExitCode == 0, $"{script} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
        return output.Result;
    }
}
