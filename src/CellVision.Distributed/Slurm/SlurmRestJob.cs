using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;

namespace CellVision.Distributed.Slurm;

/// <summary>
/// The body of slurmrestd's <c>POST /slurm/v0.0.38/job/submit</c> for one array: the script and the job properties
/// that <c>sbatch</c> would get from <see cref="SlurmRunnerOptions"/> (time in minutes, memory in MB).
/// </summary>
internal static class SlurmRestJob
{
    /// <summary>The request body. The environment is this process's, as <c>sbatch --export=ALL</c> passes it, plus the options' own.</summary>
    internal static JsonObject Body(SlurmArray array, SlurmRunnerOptions options)
    {
        var environment = new JsonObject();
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            // The token authenticates the coordinator only; the workers do not need it.
            if ((string)entry.Key != SlurmRestTransport.TokenVariable)
            {
                environment[(string)entry.Key] = (string?)entry.Value ?? "";
            }
        }

        foreach (var (name, value) in options.Environment)
        {
            environment[name] = value;
        }

        environment["CELLVISION_TASK_OFFSET"] = array.Offset.ToString(CultureInfo.InvariantCulture);
        var job = new JsonObject
        {
            ["name"] = array.Name,
            ["array"] = array.Indices,
            ["standard_output"] = array.OutputPattern,
            ["current_working_directory"] = array.WorkingDirectory,
            ["cpus_per_task"] = options.CpusPerTask,

            // As sbatch --no-requeue: the runner resubmits lost tasks itself. slurmrestd 22.05 ignores this property
            // (the job keeps the cluster's JobRequeue), so there a task lost with its node may be requeued by Slurm.
            ["requeue"] = false,
            ["environment"] = environment,
        };
        if (!string.IsNullOrWhiteSpace(options.Partition))
        {
            job["partition"] = options.Partition;
        }

        if (!string.IsNullOrWhiteSpace(options.TimeLimit))
        {
            job["time_limit"] = Minutes(options.TimeLimit);
        }

        if (!string.IsNullOrWhiteSpace(options.Memory))
        {
            job["memory_per_node"] = Megabytes(options.Memory);
        }

        if (!string.IsNullOrWhiteSpace(options.Gres))
        {
            job["gres"] = options.Gres;
        }

        return new JsonObject { ["script"] = array.Script, ["job"] = job };
    }

    /// <summary>
    /// An <c>sbatch --time</c> value in whole minutes (seconds round up): <c>M</c>, <c>M:S</c>, <c>H:M:S</c>,
    /// <c>D-H</c>, <c>D-H:M</c> or <c>D-H:M:S</c>.
    /// </summary>
    internal static long Minutes(string text)
    {
        var days = 0L;
        var rest = text.Trim();
        var dash = rest.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            days = Number(rest[..dash], text, "--time");
            rest = rest[(dash + 1)..];
        }

        var parts = rest.Split(':').Select(p => Number(p, text, "--time")).ToArray();
        var (hours, minutes, seconds) = (dash >= 0, parts.Length) switch
        {
            (false, 1) => (0L, parts[0], 0L),
            (false, 2) => (0L, parts[0], parts[1]),
            (false, 3) => (parts[0], parts[1], parts[2]),
            (true, 1) => (parts[0], 0L, 0L),
            (true, 2) => (parts[0], parts[1], 0L),
            (true, 3) => (parts[0], parts[1], parts[2]),
            _ => throw new ArgumentException($"'{text}' is not a Slurm time limit (M, M:S, H:M:S, D-H, D-H:M or D-H:M:S)."),
        };
        return (days * 24 * 60) + (hours * 60) + minutes + ((seconds + 59) / 60);
    }

    /// <summary>An <c>sbatch --mem</c> value (a number with an optional K, M, G or T suffix; M when none) in MB.</summary>
    internal static long Megabytes(string text)
    {
        var trimmed = text.Trim().ToUpperInvariant();
        var (digits, scale) = trimmed[^1] switch
        {
            'K' => (trimmed[..^1], 1.0 / 1024),
            'M' => (trimmed[..^1], 1.0),
            'G' => (trimmed[..^1], 1024.0),
            'T' => (trimmed[..^1], 1024.0 * 1024),
            _ => (trimmed, 1.0),
        };
        return (long)Math.Ceiling(Number(digits, text, "--mem") * scale);
    }

    private static long Number(string part, string text, string option) =>
        long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"'{text}' is not a Slurm {option} value.");
}
