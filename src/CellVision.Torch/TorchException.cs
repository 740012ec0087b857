namespace CellVision.Torch;

/// <summary>
/// Thrown when libtorch rejects an operation (wrong shape, dtype or device, for example).
/// The message is libtorch's own text, without its C++ backtrace.
/// </summary>
public class TorchException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public TorchException() : base("libtorch reported an error.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What went wrong, usually libtorch's message.</param>
    public TorchException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public TorchException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
