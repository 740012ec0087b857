using System.Globalization;
using System.Text.RegularExpressions;

namespace CellVision.Distributed.Slurm;

/// <summary>Talks to Slurm through <c>sbatch --parsable</c>, <c>squeue --json</c>, <c>scancel</c> and <c>scontrol show job</c>.</summary>
/// <param name="options">The resources, the command folder and the time limit of each command.</param>
internal sealed partial class SlurmCliTransport(SlurmRunnerOptions options) : ISlurmTransport
{
    /// <inheritdoc/>
    public Task CheckAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public async Task<long> SubmitAsync(SlurmArray array, CancellationToken cancellationToken)
    {
        var arguments = new List<string>
        {
            "--parsable",
            $"--job-name={array.Name}",
            $"--array={array.Indices}",
            $"--output={array.OutputPattern}",
            string.Create(CultureInfo.InvariantCulture, $"--cpus-per-task={options.CpusPerTask}"),
            string.Create(CultureInfo.InvariantCulture, $"--export=ALL,CELLVISION_TASK_OFFSET={array.Offset}"),

            // The runner resubmits lost tasks itself, at once and within MaxAttempts; Slurm's own requeue would hold them back.
            "--no-requeue",
        };
        AddIfSet(arguments, "--partition", options.Partition);
        AddIfSet(arguments, "--time", options.TimeLimit);
        AddIfSet(arguments, "--mem", options.Memory);
        AddIfSet(arguments, "--gres", options.Gres);
        arguments.AddRange(options.ExtraArguments);
        arguments.Add(array.ScriptPath);
        string answer;
        try
        {
            answer = await SlurmCommands.RunAsync(Command("sbatch"), arguments, options.Environment, options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (SlurmException exception) when (exception.Data.Contains(SlurmCommands.ExitCodeKey))
        {
            throw new SlurmException($"Slurm refused the job: {exception.Message}", exception);
        }

        // --parsable prints "jobid" or "jobid;cluster".
        if (!long.TryParse(answer.Trim().Split(';')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var job))
        {
            throw new SlurmException($"sbatch --parsable printed '{answer.Trim()}', not a job id.");
        }

        return job;
    }

    /// <inheritdoc/>
    public async Task<Dictionary<(long Job, int Index), string>> ActiveAsync(IReadOnlySet<long> arrayJobs, CancellationToken cancellationToken)
    {
        var queue = await SlurmCommands.RunAsync(Command("squeue"), ["--json"], null, options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        return SlurmQueue.Active(queue, arrayJobs);
    }

    /// <inheritdoc/>
    public Task CancelAsync(IReadOnlyCollection<long> arrayJobs, CancellationToken cancellationToken) =>
        SlurmCommands.RunAsync(Command("scancel"), arrayJobs.Select(j => j.ToString(CultureInfo.InvariantCulture)), null, options.CommandTimeout, cancellationToken);

    /// <inheritdoc/>
    public async Task<(string State, string ExitCode)?> DescribeAsync(long arrayJob, int index, CancellationToken cancellationToken)
    {
        try
        {
            var text = await SlurmCommands.RunAsync(Command("scontrol"), ["show", "job", string.Create(CultureInfo.InvariantCulture, $"{arrayJob}_{index}")], null, options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            var state = StateField().Match(text);
            var exit = ExitCodeField().Match(text);
            return (state.Success ? state.Groups[1].Value : "ended", exit.Success ? exit.Groups[1].Value : "?");
        }
        catch (SlurmException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private string Command(string name) => options.CommandFolder is { } folder ? Path.Combine(folder, name) : name;

    private static void AddIfSet(List<string> arguments, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            arguments.Add($"{name}={value}");
        }
    }

    [GeneratedRegex(@"JobState=(\S+)")]
    private static partial Regex StateField();

    [GeneratedRegex(@"ExitCode=(\S+)")]
    private static partial Regex ExitCodeField();
}
