namespace CellVision.Distributed;

/// <summary>Runs the unfinished tasks of a prepared plan somewhere: local worker processes, a Slurm cluster, ….</summary>
public interface IJobRunner
{
    /// <summary>
    /// Runs every task of <paramref name="plan"/> that has no completion marker, retrying failed or lost tasks up to
    /// the runner's limit, and returns once each task finished or failed every attempt.
    /// </summary>
    /// <param name="plan">A saved plan whose outputs are prepared (see <see cref="Jobs.RunAsync"/>).</param>
    /// <param name="progress">Receives the state of the whole job.</param>
    /// <param name="cancellationToken">Stops the workers (or cancels the Slurm jobs); finished tasks stay finished.</param>
    /// <exception cref="JobFailedException">Some tasks failed every allowed attempt.</exception>
    Task RunTasksAsync(JobPlan plan, IProgress<JobProgress>? progress = null, CancellationToken cancellationToken = default);
}
