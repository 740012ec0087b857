using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CellVision.Distributed.Slurm;

/// <summary>
/// Runs tasks as Slurm job arrays: one <c>sbatch --array --parsable</c> per plan (split when the plan has more tasks
/// than <see cref="SlurmRunnerOptions.MaxArrayTasks"/>), each array task running <c>cellvision worker</c> for one task.
/// It follows the tasks with <c>squeue --json</c>; a task that left the queue without its completion marker (failed,
/// killed, lost with its node) is submitted again, up to <see cref="SlurmRunnerOptions.MaxAttempts"/>. Cancelling
/// runs <c>scancel</c> on the arrays. The plan and its outputs must lie on a filesystem every node shares.
/// </summary>
/// <param name="options">Resources, attempts and the worker command; null for the defaults.</param>
public sealed partial class SlurmRunner(SlurmRunnerOptions? options = null) : IJobRunner
{
    private readonly SlurmRunnerOptions options = Checked(options ?? new SlurmRunnerOptions());

    /// <summary>The file, inside the job's bookkeeping folder, that lists the Slurm array jobs submitted for it.</summary>
    public static string JobListPath(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Path.Combine(new JobOutput(plan.Outputs[0]).Folder, "slurm", "jobs");
    }

    /// <summary>Cancels (<c>scancel</c>) every Slurm array job submitted for <paramref name="plan"/>; finished tasks stay finished.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="cancellationToken">Stops waiting for <c>scancel</c>.</param>
    /// <returns>The array job ids cancelled.</returns>
    /// <exception cref="SlurmException">scancel is missing or failed.</exception>
    public static async Task<IReadOnlyList<long>> CancelAsync(JobPlan plan, CancellationToken cancellationToken = default)
    {
        var path = JobListPath(plan);
        var ids = File.Exists(path)
            ? File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => long.Parse(l, CultureInfo.InvariantCulture)).Distinct().ToList()
            : [];
        if (ids.Count > 0)
        {
            await SlurmCommands.RunAsync("scancel", ids.Select(i => i.ToString(CultureInfo.InvariantCulture)), null, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }

        return ids;
    }

    /// <inheritdoc/>
    public async Task RunTasksAsync(JobPlan plan, IProgress<JobProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var output = new JobOutput(plan.Outputs[0]);
        var missing = Enumerable.Range(0, plan.Tasks.Count).Where(i => !output.IsDone(i)).ToList();
        var done = plan.Tasks.Count - missing.Count;
        var retries = 0;
        var attempts = new Dictionary<int, int>();
        var failures = new SortedDictionary<int, string>();
        var outstanding = new Dictionary<int, (long Job, int Index)>();
        var jobs = new HashSet<long>();
        var script = WriteScript(plan, output);
        Report();
        try
        {
            await SubmitAsync(missing).ConfigureAwait(false);
            while (outstanding.Count > 0)
            {
                Report();
                await Task.Delay(options.PollInterval, cancellationToken).ConfigureAwait(false);
                var queue = await SlurmCommands.RunAsync(Command("squeue"), ["--json"], null, options.CommandTimeout, cancellationToken).ConfigureAwait(false);
                var active = SlurmQueue.Active(queue, jobs);
                var again = new List<int>();
                foreach (var (task, where) in outstanding.ToList())
                {
                    if (active.ContainsKey(where))
                    {
                        continue;
                    }

                    outstanding.Remove(task);
                    if (output.IsDone(task))
                    {
                        done++;
                    }
                    else if (attempts[task] < options.MaxAttempts)
                    {
                        retries++;
                        again.Add(task);
                    }
                    else
                    {
                        failures[task] = await DescribeAsync(where, output).ConfigureAwait(false);
                    }
                }

                await SubmitAsync(again).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (jobs.Count > 0)
            {
                await SlurmCommands.RunAsync(Command("scancel"), jobs.Select(j => j.ToString(CultureInfo.InvariantCulture)), null, options.CommandTimeout, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }

        Report();
        if (failures.Count > 0)
        {
            var first = failures.First();
            throw new JobFailedException($"{failures.Count} task(s) failed {options.MaxAttempts} submissions: {string.Join(", ", failures.Keys)}. Task {first.Key}: {first.Value}", [.. failures.Keys]);
        }

        void Report() => progress?.Report(new JobProgress(plan.Tasks.Count, done, outstanding.Count, failures.Count, retries));

        async Task SubmitAsync(List<int> tasks)
        {
            tasks.Sort();
            for (var start = 0; start < tasks.Count;)
            {
                var offset = tasks[start];
                var end = start;
                while (end < tasks.Count && tasks[end] - offset < options.MaxArrayTasks)
                {
                    end++;
                }

                var batch = tasks[start..end];
                var job = await SubmitArrayAsync(plan, output, script, offset, [.. batch.Select(t => t - offset)], cancellationToken).ConfigureAwait(false);
                jobs.Add(job);
                foreach (var task in batch)
                {
                    attempts[task] = attempts.GetValueOrDefault(task) + 1;
                    outstanding[task] = (job, task - offset);
                }

                start = end;
            }
        }
    }

    /// <summary>Submits one array; returns its job id.</summary>
    private async Task<long> SubmitArrayAsync(JobPlan plan, JobOutput output, string script, int offset, IReadOnlyList<int> indices, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(output.LogFolder);
        var arguments = new List<string>
        {
            "--parsable",
            $"--job-name=cellvision-{plan.Operation}",
            $"--array={SlurmQueue.FormatIndices(indices)}",
            $"--output={Path.Combine(output.LogFolder, "%A_%a.out")}",
            string.Create(CultureInfo.InvariantCulture, $"--cpus-per-task={options.CpusPerTask}"),
            string.Create(CultureInfo.InvariantCulture, $"--export=ALL,CELLVISION_TASK_OFFSET={offset}"),

            // This runner resubmits lost tasks itself, at once and within MaxAttempts; Slurm's own requeue would hold them back.
            "--no-requeue",
        };
        AddIfSet(arguments, "--partition", options.Partition);
        AddIfSet(arguments, "--time", options.TimeLimit);
        AddIfSet(arguments, "--mem", options.Memory);
        AddIfSet(arguments, "--gres", options.Gres);
        arguments.AddRange(options.ExtraArguments);
        arguments.Add(script);
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

        await File.AppendAllTextAsync(JobListPath(plan), job.ToString(CultureInfo.InvariantCulture) + "\n", CancellationToken.None).ConfigureAwait(false);
        return job;
    }

    /// <summary>Why a task left the queue without finishing, from <c>scontrol show job</c> and its log.</summary>
    private async Task<string> DescribeAsync((long Job, int Index) where, JobOutput output)
    {
        var log = Path.Combine(output.LogFolder, string.Create(CultureInfo.InvariantCulture, $"{where.Job}_{where.Index}.out"));
        var tail = File.Exists(log) ? string.Join(" | ", File.ReadLines(log).TakeLast(5)) : "(no log)";
        try
        {
            var text = await SlurmCommands.RunAsync(Command("scontrol"), ["show", "job", string.Create(CultureInfo.InvariantCulture, $"{where.Job}_{where.Index}")], null, options.CommandTimeout, CancellationToken.None).ConfigureAwait(false);
            var state = StateField().Match(text);
            var exit = ExitCodeField().Match(text);
            return $"Slurm job {where.Job}_{where.Index} {(state.Success ? state.Groups[1].Value : "ended")}, exit code {(exit.Success ? exit.Groups[1].Value : "?")}; log {log}: {tail}";
        }
        catch (SlurmException)
        {
            return $"Slurm job {where.Job}_{where.Index} left the queue; log {log}: {tail}";
        }
    }

    /// <summary>The batch script every array task runs: the prologue, then the worker for task offset + array index.</summary>
    private string WriteScript(JobPlan plan, JobOutput output)
    {
        var script = new StringBuilder();
        script.Append("#!/bin/bash\n");
        script.Append(CultureInfo.InvariantCulture, $"# CellVision job {plan.JobId} ({plan.Operation}): one array task per plan task.\n");
        script.Append("set -e\n");
        foreach (var line in options.Prologue)
        {
            script.Append(line).Append('\n');
        }

        script.Append("exec ").AppendJoin(' ', new[] { options.Worker.FileName }.Concat(options.Worker.ArgumentsFor(plan.PlanPath, null)).Select(Quote));
        script.Append(" \"$((CELLVISION_TASK_OFFSET + SLURM_ARRAY_TASK_ID))\"\n");
        var path = Path.Combine(output.Folder, "slurm", "worker.sh");
        AtomicFile.WriteText(path, script.ToString());
        return path;
    }

    private string Command(string name) => options.CommandFolder is { } folder ? Path.Combine(folder, name) : name;

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static void AddIfSet(List<string> arguments, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            arguments.Add($"{name}={value}");
        }
    }

    private static SlurmRunnerOptions Checked(SlurmRunnerOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CpusPerTask, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxArrayTasks, 1, nameof(options));
        return options;
    }

    [GeneratedRegex(@"JobState=(\S+)")]
    private static partial Regex StateField();

    [GeneratedRegex(@"ExitCode=(\S+)")]
    private static partial Regex ExitCodeField();
}
