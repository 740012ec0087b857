using System.Diagnostics;

namespace CellVision.Tests.Shared;

/// <summary>
/// Runs reference scripts with Debian's interpreter, the only one that sees python3-torch, zarr, numcodecs, tifffile,
/// Pillow, h5py and scikit-image; a failing script fails the test with its output.
/// </summary>
internal static class PythonReference
{
    /// <summary>Runs a committed script copied beside the tests (e.g. "Interop/x.py", "Golden/y.py") and returns its standard output.</summary>
    internal static string Run(string script, params string[] arguments) =>
        Execute([Path.Combine(AppContext.BaseDirectory, script), .. arguments], script);

    /// <summary>Runs a short inline script (<c>python3 -c</c>) and returns its trimmed standard output.</summary>
    internal static string RunInline(string code, params string[] arguments) =>
        Execute(["-c", code, .. arguments], "inline script").Trim();

    private static string Execute(string[] arguments, string script)
    {
        const string interpreter = "/usr/bin/python3";
        Assert.True(File.Exists(interpreter), $"{interpreter} is missing: install the Python references (the README's test command does).");
        var start = new ProcessStartInfo(interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
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
