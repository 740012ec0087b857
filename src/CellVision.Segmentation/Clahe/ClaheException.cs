namespace CellVision.Segmentation;

/// <summary>Thrown when CLAHE cannot process its input: an empty volume, NaN or out-of-range float values, or invalid options.</summary>
public class ClaheException : ArgumentException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public ClaheException() : base("CLAHE cannot process this input.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What is wrong.</param>
    public ClaheException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ClaheException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
