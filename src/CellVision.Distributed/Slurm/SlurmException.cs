namespace CellVision.Distributed.Slurm;

/// <summary>A Slurm command is missing, failed, or refused the job; the message carries Slurm's own words.</summary>
public sealed class SlurmException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SlurmException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed and how to fix it.</param>
    public SlurmException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What failed and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public SlurmException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
