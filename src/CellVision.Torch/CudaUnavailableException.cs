namespace CellVision.Torch;

/// <summary>Thrown when a CUDA device is requested but the linked libtorch has no CUDA support or no GPU is visible.</summary>
public class CudaUnavailableException : TorchException
{
    /// <summary>Creates an exception with the standard explanation.</summary>
    public CudaUnavailableException()
        : base("CUDA was requested, but the loaded libtorch has no CUDA support or no GPU is visible. Use Device.Cpu, or point CELLVISION_LIBTORCH at a CUDA build of libtorch.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was requested.</param>
    public CudaUnavailableException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What was requested.</param>
    /// <param name="innerException">The underlying error.</param>
    public CudaUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
