namespace CellVision.Torch.Serialization;

/// <summary>
/// Thrown when a <c>.pth</c> file is corrupt, truncated, in an unsupported layout, or contains pickle content that a
/// state dict never needs (which is refused for safety). The message names the file and what was wrong. Like the other
/// file-format exceptions of CellVision (Zarr, TIFF, HDF5, BDV, CTC) it is an <see cref="IOException"/>.
/// </summary>
public class PthFormatException : IOException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public PthFormatException() : base("The .pth file is not valid.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was wrong.</param>
    public PthFormatException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public PthFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
