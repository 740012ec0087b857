using System.Globalization;
using System.Text;

namespace CellVision.Distributed.Slurm;

/// <summary>
/// Runs tasks as Slurm job arrays: one array per plan (split when the plan has more tasks than
/// <see cref="SlurmRunnerOptions.MaxArrayTasks"/>), each array task running <c>cellvision worker</c> for one task.
/// It follows the tasks in Slurm's job list; a task that left the queue without its completion marker (failed,
/// killed, lost with its node) is submitted again, up to <see cref="SlurmRunnerOptions.MaxAttempts"/>. Cancelling
/// cancels the arrays. Slurm is reached through <c>sbatch --parsable</c>, <c>squeue --json</c> and <c>scancel</c>, or,
/// with <see cref="SlurmRunnerOptions.RestUrl"/>, through slurmrestd with a JWT. The plan and its outputs must lie on
/// a filesystem every node shares.
/// </summary>
/// <param name="options">Resources, attempts, the worker command and how to reach Slurm; null for the defaults.</param>
public sealed class SlurmRunner(SlurmRunnerOptions? options = null) : IJobRunner
{
    private readonly SlurmRunnerOptions options = Checked(options ?? new SlurmRunnerOptions());

    /// <summary>The file, inside the job's bookkeeping folder, that lists the Slurm array jobs submitted for it.</summary>
    public static string JobListPath(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Path.Combine(new JobOutput(plan.Outputs[0]).Folder, "slurm", "jobs");
    }

    /// <summary>Cancels every Slurm array job submitted for <paramref name="plan"/>; finished tasks stay finished.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">How to reach Slurm (<c>scancel</c>, or slurmrestd with <see cref="SlurmRunnerOptions.RestUrl"/>); null for <c>scancel</c> on PATH.</param>
    /// <param name="cancellationToken">Stops waiting for Slurm.</param>
    /// <returns>The array job ids cancelled.</returns>
    /// <exception cref="SlurmException">Slurm cannot be reached or did not cancel.</exception>
    public static async Task<IReadOnlyList<long>> CancelAsync(JobPlan plan, SlurmRunnerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = JobListPath(plan);
        var ids = File.Exists(path)
            ? File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => long.Parse(l, CultureInfo.InvariantCulture)).Distinct().ToList()
            : [];
        if (ids.Count > 0)
        {
            using var transport = Transport(Checked(options ?? new SlurmRunnerOptions()));
            await transport.CheckAsync(cancellationToken).ConfigureAwait(false);
            await transport.CancelAsync(ids, cancellationToken).ConfigureAwait(false);
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
        using var transport = Transport(options);
        await transport.CheckAsync(cancellationToken).ConfigureAwait(false);
        var script = WriteScript(plan, output);
        Report();
        try
        {
            await SubmitAsync(missing).ConfigureAwait(false);
            while (outstanding.Count > 0)
            {
                Report();
                await Task.Delay(options.PollInterval, cancellationToken).ConfigureAwait(false);
                var active = await transport.ActiveAsync(jobs, cancellationToken).ConfigureAwait(false);
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
                        failures[task] = await DescribeAsync(transport, where, output).ConfigureAwait(false);
                    }
                }

                await SubmitAsync(again).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (jobs.Count > 0)
            {
                await transport.CancelAsync(jobs, CancellationToken.None).ConfigureAwait(false);
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
                var job = await SubmitArrayAsync(transport, plan, output, script, offset, [.. batch.Select(t => t - offset)], cancellationToken).ConfigureAwait(false);
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

    /// <summary>Submits one array, records it in the job list and returns its job id.</summary>
    private static async Task<long> SubmitArrayAsync(ISlurmTransport transport, JobPlan plan, JobOutput output, (string Path, string Text) script, int offset, IReadOnlyList<int> indices, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(output.LogFolder);
        var array = new SlurmArray(
            $"cellvision-{plan.Operation}",
            SlurmQueue.FormatIndices(indices),
            offset,
            script.Path,
            script.Text,
            Path.Combine(output.LogFolder, "%A_%a.out"),
            output.LogFolder);
        var job = await transport.SubmitAsync(array, cancellationToken).ConfigureAwait(false);
        await File.AppendAllTextAsync(JobListPath(plan), job.ToString(CultureInfo.InvariantCulture) + "\n", CancellationToken.None).ConfigureAwait(false);
        return job;
    }

    /// <summary>Why a task left the queue without finishing, from Slurm's record of it and its log.</summary>
    private static async Task<string> DescribeAsync(ISlurmTransport transport, (long Job, int Index) where, JobOutput output)
    {
        var log = Path.Combine(output.LogFolder, string.Create(CultureInfo.InvariantCulture, $"{where.Job}_{where.Index}.out"));
        var tail = File.Exists(log) ? string.Join(" | ", File.ReadLines(log).TakeLast(5)) : "(no log)";
        var state = await transport.DescribeAsync(where.Job, where.Index, CancellationToken.None).ConfigureAwait(false);
        return state is { } known
            ? $"Slurm job {where.Job}_{where.Index} {known.State}, exit code {known.ExitCode}; log {log}: {tail}"
            : $"Slurm job {where.Job}_{where.Index} left the queue; log {log}: {tail}";
    }

    /// <summary>The batch script every array task runs: the prologue, then the worker for task offset + array index.</summary>
    private (string Path, string Text) WriteScript(JobPlan plan, JobOutput output)
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
        var text = script.ToString();
        AtomicFile.WriteText(path, text);
        return (path, text);
    }

    private static ISlurmTransport Transport(SlurmRunnerOptions options) =>
        options.RestUrl is null ? new SlurmCliTransport(options) : new SlurmRestTransport(options);

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static SlurmRunnerOptions Checked(SlurmRunnerOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CpusPerTask, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxArrayTasks, 1, nameof(options));
        if (options.RestUrl is not null && options.ExtraArguments.Count > 0)
        {
            throw new ArgumentException($"SlurmRunnerOptions.ExtraArguments ({string.Join(' ', options.ExtraArguments)}) are sbatch arguments; slurmrestd cannot take them. Leave RestUrl unset to submit with sbatch.", nameof(options));
        }

        return options;
    }
}
