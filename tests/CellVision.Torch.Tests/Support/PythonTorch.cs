using System.Diagnostics;

namespace CellVision.Torch.Tests.Support;

/// <summary>Runs a Python snippet with Debian's interpreter, which has python3-torch.</summary>
internal static class PythonTorch
{
    internal const string Interpreter = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/> and returns its standard output; fails the test on a non-zero exit.</summary>
    internal static string Run(string script, params string[] arguments)
    {
        Assert.True(File.Exists(Interpreter), $"{Interpreter} is missing: install python3-torch (the README's test command does).");
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "Python did not finish within 120 s.");
        Assert.True(process.ExitCode == 0, $"Python failed ({process.ExitCode}): {error.Result}");
        return output.Result.Trim();
    }
}
