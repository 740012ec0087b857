namespace CellVision.Torch;

/// <summary>
/// Thrown when libtorch or CellVision's native bridge (libcvtorch) cannot be loaded. The message
/// names the Debian package to install and the environment variables that point at other copies.
/// </summary>
public class LibTorchNotFoundException : DllNotFoundException
{
    /// <summary>The Debian package that provides libtorch.</summary>
    public const string DebianPackage = "libtorch-dev";

    /// <summary>Creates an exception with the standard installation advice.</summary>
    public LibTorchNotFoundException()
        : base($"libtorch was not found. Install it with 'apt-get install {DebianPackage}' or set CELLVISION_LIBTORCH to the folder holding libtorch_cpu.so.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was missing and how to install it.</param>
    public LibTorchNotFoundException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What was missing and how to install it.</param>
    /// <param name="innerException">The loader's own error.</param>
    public LibTorchNotFoundException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
