using System.Text;
using CellVision.Distributed.Runners;

namespace CellVision.Distributed.Slurm;

/// <summary>
/// Options of <see cref="SlurmRunner"/>; each resource option is passed to <c>sbatch</c> as is, when set (or, with
/// <see cref="RestUrl"/>, to slurmrestd as the matching job property).
/// </summary>
public sealed record SlurmRunnerOptions
{
    /// <summary><c>--partition</c>; null for the cluster's default.</summary>
    public string? Partition { get; init; }

    /// <summary><c>--time</c> per task, e.g. <c>00:30:00</c>; null for the partition's default.</summary>
    public string? TimeLimit { get; init; }

    /// <summary><c>--mem</c> per task, e.g. <c>8G</c>; null for the partition's default.</summary>
    public string? Memory { get; init; }

    /// <summary><c>--cpus-per-task</c> (default 1).</summary>
    public int CpusPerTask { get; init; } = 1;

    /// <summary><c>--gres</c>, e.g. <c>gpu:1</c>; null for none.</summary>
    public string? Gres { get; init; }

    /// <summary>More <c>sbatch</c> arguments, e.g. <c>--account=lab</c> or <c>--constraint=a100</c> (not with <see cref="RestUrl"/>).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Submissions per task, the first included, before the job fails (default 3).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The most array tasks per <c>sbatch</c> (keep it below the cluster's MaxArraySize; default 1000).</summary>
    public int MaxArrayTasks { get; init; } = 1000;

    /// <summary>How often the queue is read (default 5 s).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest a Slurm command may take before it counts as failed (default 60 s; a dead controller makes them hang).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How the nodes start a worker (default: <c>cellvision</c> on PATH; the path must exist on every node).</summary>
    public WorkerCommand Worker { get; init; } = WorkerCommand.OnPath;

    /// <summary>Extra environment variables for the workers (exported through <c>sbatch</c>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The folder holding <c>sbatch</c>, <c>squeue</c>, <c>scontrol</c> and <c>scancel</c>; null to find them on PATH.</summary>
    public string? CommandFolder { get; init; }

    /// <summary>Lines placed before the worker in the batch script, e.g. <c>module load cuda</c>.</summary>
    public IReadOnlyList<string> Prologue { get; init; } = [];

    /// <summary>
    /// slurmrestd's address, e.g. <c>http://slurm-rest:6820</c>: submit, follow and cancel through its
    /// <c>openapi/v0.0.38</c> REST API (Slurm 22.05) with a JWT instead of the command-line tools; null (the default)
    /// for <c>sbatch</c>, <c>squeue</c> and <c>scancel</c>.
    /// </summary>
    public Uri? RestUrl { get; init; }

    /// <summary>The JWT for <see cref="RestUrl"/> (from <c>scontrol token</c>); null to read <c>SLURM_JWT</c>, as Slurm's tools do.</summary>
    public string? RestToken { get; init; }

    /// <summary>The Slurm user the token belongs to (the <c>X-SLURM-USER-NAME</c> header); null for the user running this process.</summary>
    public string? RestUser { get; init; }

    /// <summary>Writes the options for <see cref="ToString"/>, with the token hidden: options end up in logs.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        var first = true;
        foreach (var property in typeof(SlurmRunnerOptions).GetProperties())
        {
            var value = property.Name == nameof(RestToken) && RestToken is not null ? "***" : property.GetValue(this);
            builder.Append(first ? "" : ", ").Append(property.Name).Append(" = ").Append(value);
            first = false;
        }

        return true;
    }
}
