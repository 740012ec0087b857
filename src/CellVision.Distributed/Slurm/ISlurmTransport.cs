namespace CellVision.Distributed.Slurm;

/// <summary>
/// How <see cref="SlurmRunner"/> talks to Slurm: the command-line tools (<see cref="SlurmCliTransport"/>) or slurmrestd
/// (<see cref="SlurmRestTransport"/>). The runner keeps attempts, resubmission and progress; a transport only submits,
/// lists, cancels and describes arrays, and turns Slurm's failures into <see cref="SlurmException"/>.
/// </summary>
internal interface ISlurmTransport : IDisposable
{
    /// <summary>Fails with a clear <see cref="SlurmException"/> when Slurm cannot be reached or refuses the credentials; before anything is submitted.</summary>
    Task CheckAsync(CancellationToken cancellationToken);

    /// <summary>Submits one array and returns its job id; a refusal is a <see cref="SlurmException"/> that starts with "Slurm refused the job".</summary>
    Task<long> SubmitAsync(SlurmArray array, CancellationToken cancellationToken);

    /// <summary>The elements of <paramref name="arrayJobs"/> that are pending, running or completing, with their state.</summary>
    Task<Dictionary<(long Job, int Index), string>> ActiveAsync(IReadOnlySet<long> arrayJobs, CancellationToken cancellationToken);

    /// <summary>Cancels whole arrays.</summary>
    Task CancelAsync(IReadOnlyCollection<long> arrayJobs, CancellationToken cancellationToken);

    /// <summary>The state and exit code of one element that left the queue, or null when Slurm no longer knows it.</summary>
    Task<(string State, string ExitCode)?> DescribeAsync(long arrayJob, int index, CancellationToken cancellationToken);
}
