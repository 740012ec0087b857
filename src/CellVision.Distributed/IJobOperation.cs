namespace CellVision.Distributed;

/// <summary>
/// An operation that runs as a plan of independent tasks. Every task must be idempotent: running it again, whole or
/// after being killed part-way, gives the same output bytes.
/// </summary>
public interface IJobOperation
{
    /// <summary>The name plans refer to, e.g. <c>incasem-clahe</c>.</summary>
    string Name { get; }

    /// <summary>Checks the plan's options, inputs and tasks against this operation; throws <see cref="JobPlanException"/> before anything is written.</summary>
    /// <param name="plan">The plan.</param>
    void Validate(JobPlan plan);

    /// <summary>Creates the (empty) outputs once, before any task runs; must do nothing when they already exist.</summary>
    /// <param name="plan">The plan.</param>
    void Prepare(JobPlan plan);

    /// <summary>Runs one task, writing whole chunks of the outputs (a chunk is written under a temporary name and renamed).</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="task">The task.</param>
    /// <param name="progress">Receives the fraction of the task done.</param>
    /// <param name="cancellationToken">Stops the task.</param>
    void RunTask(JobPlan plan, JobTask task, IProgress<double>? progress, CancellationToken cancellationToken);

    /// <summary>The final step, once, after every task finished (e.g. a global merge); may do nothing.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="cancellationToken">Stops the step.</param>
    void Complete(JobPlan plan, CancellationToken cancellationToken);
}
