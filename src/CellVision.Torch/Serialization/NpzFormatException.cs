namespace CellVision.Torch.Serialization;

/// <summary>Thrown when a NumPy <c>.npz</c> archive is corrupt or holds an array that cannot be read; the message names the file and the array.</summary>
public class NpzFormatException : IOException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public NpzFormatException() : base("The .npz archive is not valid.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was wrong.</param>
    public NpzFormatException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public NpzFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
