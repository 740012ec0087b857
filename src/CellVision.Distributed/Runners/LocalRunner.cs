using System.Diagnostics;
using System.Text;

namespace CellVision.Distributed.Runners;

/// <summary>
/// Runs tasks as worker processes on this machine (<c>cellvision worker --plan PLAN --task N</c>), a fixed number at
/// once; a worker that fails or is killed is started again for its task, up to <see cref="LocalRunnerOptions.MaxAttempts"/>.
/// </summary>
/// <param name="options">Workers, attempts and the worker command; null for the defaults.</param>
public sealed class LocalRunner(LocalRunnerOptions? options = null) : IJobRunner
{
    private readonly LocalRunnerOptions options = Checked(options ?? new LocalRunnerOptions());

    /// <inheritdoc/>
    public async Task RunTasksAsync(JobPlan plan, IProgress<JobProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var output = new JobOutput(plan.Outputs[0]);
        var pending = new Queue<int>(Enumerable.Range(0, plan.Tasks.Count).Where(i => !output.IsDone(i)));
        var attempts = new Dictionary<int, int>();
        var errors = new Dictionary<int, string>();
        var running = new Dictionary<Task<(int Exit, string Error)>, int>();
        var done = plan.Tasks.Count - pending.Count;
        var retries = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Report();
        try
        {
            while (pending.Count > 0 || running.Count > 0)
            {
                while (pending.Count > 0 && running.Count < options.Workers)
                {
                    var task = pending.Dequeue();
                    attempts[task] = attempts.GetValueOrDefault(task) + 1;
                    running[RunWorkerAsync(plan.PlanPath, task, stop.Token)] = task;
                }

                Report();
                var finished = await Task.WhenAny(running.Keys).ConfigureAwait(false);
                var index = running[finished];
                running.Remove(finished);
                var (exit, error) = await finished.ConfigureAwait(false);
                if (exit == 0 && output.IsDone(index))
                {
                    done++;
                }
                else if (attempts[index] < options.MaxAttempts)
                {
                    retries++;
                    pending.Enqueue(index);
                }
                else
                {
                    errors[index] = $"exit code {exit}: {error}";
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var worker in running.Keys)
            {
                await worker.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            }
        }

        Report();
        cancellationToken.ThrowIfCancellationRequested();
        if (errors.Count > 0)
        {
            var first = errors.OrderBy(e => e.Key).First();
            throw new JobFailedException($"{errors.Count} task(s) failed {options.MaxAttempts} attempts: {string.Join(", ", errors.Keys.Order())}. Task {first.Key}: {first.Value}", [.. errors.Keys.Order()]);
        }

        void Report() => progress?.Report(new JobProgress(plan.Tasks.Count, done, running.Count, errors.Count, retries));
    }

    /// <summary>Starts one worker and waits for it; cancellation kills it (and anything it started).</summary>
    private async Task<(int Exit, string Error)> RunWorkerAsync(string planPath, int task, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(options.Worker.FileName)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in options.Worker.ArgumentsFor(planPath, task))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in options.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        var error = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (error)
            {
                if (e.Data is not null && error.Length < 4000)
                {
                    error.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += (_, _) => { };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"Could not start the worker '{options.Worker.FileName}': {exception.Message}. Install the cellvision command or set the worker command.", exception);
        }

        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        lock (error)
        {
            return (process.ExitCode, error.ToString().Trim());
        }
    }

    private static LocalRunnerOptions Checked(LocalRunnerOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1, nameof(options));
        return options;
    }
}
