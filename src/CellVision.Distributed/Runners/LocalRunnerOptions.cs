namespace CellVision.Distributed.Runners;

/// <summary>Options of <see cref="LocalRunner"/>.</summary>
public sealed record LocalRunnerOptions
{
    /// <summary>Worker processes at once (default: the processor count).</summary>
    public int Workers { get; init; } = System.Environment.ProcessorCount;

    /// <summary>Attempts per task, the first included, before the job fails (default 3).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>How to start a worker (default: <c>cellvision</c> on PATH).</summary>
    public WorkerCommand Worker { get; init; } = WorkerCommand.OnPath;

    /// <summary>Extra environment variables for the workers.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
