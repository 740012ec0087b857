using System.Diagnostics;

namespace CellVision.Distributed.Tests;

/// <summary>The test cluster from <c>CELLVISION_TEST_SLURM</c>, <c>CELLVISION_TEST_SLURM_PARTITION</c> and <c>SLURM_CONF</c>.</summary>
internal static class TestCluster
{
    public const string Variable = "CELLVISION_TEST_SLURM";

    public static bool Available => Environment.GetEnvironmentVariable(Variable) == "1";

    public static string? Partition => Environment.GetEnvironmentVariable("CELLVISION_TEST_SLURM_PARTITION");

    public const string RestVariable = "CELLVISION_TEST_SLURMREST_URL";

    /// <summary>The test cluster's slurmrestd, when it runs.</summary>
    public static Uri? RestUrl => Environment.GetEnvironmentVariable(RestVariable) is { Length: > 0 } url ? new Uri(url) : null;

    public const string RestTokenVariable = "CELLVISION_TEST_SLURMREST_TOKEN";

    /// <summary>A JWT for <see cref="RestUrl"/>, user root.</summary>
    public static string? RestToken => Environment.GetEnvironmentVariable(RestTokenVariable) is { Length: > 0 } token ? token : null;

    /// <summary>Runs a Slurm command (with a time limit) and returns its output.</summary>
    public static string Run(string program, string[] arguments, bool allowFailure)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in 30 s.");
        }

        Assert.True(allowFailure || process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {error.Result}");
        return output.Result;
    }

    /// <summary>Runs a Slurm command that must succeed and returns its output.</summary>
    public static string Run(string program, params string[] arguments) => Run(program, arguments, allowFailure: false);

    /// <summary>
    /// Returns <paramref name="node"/> to service and waits until it takes work again (idle, or mixed while the
    /// controller still clears a job it killed there). A node whose killed jobs are still completing refuses the
    /// resume, so it is asked again until the controller accepts it.
    /// </summary>
    public static void ResumeAndWaitUsable(string node)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        var state = "";
        while (!(state = Run("sinfo", "-h", "-N", "-n", node, "-o", "%t").Trim()).StartsWith("idle", StringComparison.Ordinal) && !state.StartsWith("mix", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{node} did not return to service (state {state}).");
            if (state.StartsWith("down", StringComparison.Ordinal) || state.StartsWith("drain", StringComparison.Ordinal))
            {
                Run("scontrol", ["update", $"nodename={node}", "state=resume"], allowFailure: true);
            }

            Thread.Sleep(500);
        }
    }
}
