namespace CellVision.Distributed;

/// <summary>Some tasks of a job still failed after every allowed attempt; the finished tasks stay finished.</summary>
public sealed class JobFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which tasks failed and why.</param>
    public JobFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Which tasks failed and why.</param>
    /// <param name="innerException">The cause.</param>
    public JobFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the tasks that failed.</summary>
    /// <param name="message">Which tasks failed and why.</param>
    /// <param name="failedTasks">Their indices.</param>
    public JobFailedException(string message, IReadOnlyList<int> failedTasks)
        : base(message) => FailedTasks = failedTasks;

    /// <summary>The indices of the tasks that failed.</summary>
    public IReadOnlyList<int> FailedTasks { get; } = [];
}
