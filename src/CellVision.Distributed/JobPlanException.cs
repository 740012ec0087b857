namespace CellVision.Distributed;

/// <summary>A plan cannot run: a missing input, an output holding another job's data, overlapping tasks, or a bad file.</summary>
public sealed class JobPlanException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobPlanException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public JobPlanException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public JobPlanException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
