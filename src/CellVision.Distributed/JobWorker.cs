using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace CellVision.Distributed;

/// <summary>What <see cref="JobWorker.RunTask"/> did.</summary>
public enum TaskOutcome
{
    /// <summary>The task ran and its completion was recorded.</summary>
    Completed,

    /// <summary>The task had finished before; nothing ran.</summary>
    AlreadyDone,
}

/// <summary>Runs one task of a plan: what <c>cellvision worker --plan PLAN --task N</c> does, on any node.</summary>
public static class JobWorker
{
    /// <summary>
    /// Runs task <paramref name="index"/> of the plan unless it finished before; the operation writes whole chunks
    /// under temporary names and renames them, and the task's marker is written last, so a worker killed part-way
    /// leaves no half-written chunk and no marker, and the task runs again from the start.
    /// </summary>
    /// <param name="planPath">The plan file.</param>
    /// <param name="index">The task, from 0.</param>
    /// <param name="progress">Receives the fraction of the task done.</param>
    /// <param name="cancellationToken">Stops the task; no marker is written.</param>
    /// <exception cref="JobPlanException">The plan is invalid, the task does not exist, or the output was not prepared for this job.</exception>
    public static TaskOutcome RunTask(string planPath, int index, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = JobPlan.Load(planPath);
        if (index < 0 || index >= plan.Tasks.Count)
        {
            throw new JobPlanException($"The plan '{planPath}' has tasks 0 to {plan.Tasks.Count - 1}; there is no task {index}.");
        }

        var output = new JobOutput(plan.Outputs[0]);
        if (output.OwnerJobId != plan.JobId)
        {
            throw new JobPlanException($"The output '{output.Output}' was not prepared for job {plan.JobId} (it belongs to {output.OwnerJobId ?? "no job"}); run the job through a runner, which prepares it.");
        }

        if (output.IsDone(index))
        {
            return TaskOutcome.AlreadyDone;
        }

        var faults = WorkerFaults.FromEnvironment();
        var attempt = output.RecordAttempt(index);
        faults.BeforeTask(index, attempt, cancellationToken);
        var operation = JobOperations.Get(plan.Operation);
        var crash = faults.CrashesDuring(index, attempt);
        var watch = Stopwatch.StartNew();
        operation.RunTask(plan, plan.Tasks[index], crash ? new CrashingProgress(progress) : progress, cancellationToken);
        output.MarkDone(index, new JsonObject
        {
            ["node"] = Environment.GetEnvironmentVariable("SLURMD_NODENAME") ?? Environment.MachineName,
            ["slurmJob"] = Environment.GetEnvironmentVariable("SLURM_JOB_ID"),
            ["attempt"] = attempt,
            ["seconds"] = Math.Round(watch.Elapsed.TotalSeconds, 3),
            ["finished"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["pid"] = Environment.ProcessId,
        });
        return TaskOutcome.Completed;
    }

    /// <summary>Kills the process at the first progress report, i.e. once some of the task's output is written.</summary>
    private sealed class CrashingProgress(IProgress<double>? inner) : IProgress<double>
    {
        public void Report(double value)
        {
            inner?.Report(value);
            WorkerFaults.Crash();
        }
    }
}
