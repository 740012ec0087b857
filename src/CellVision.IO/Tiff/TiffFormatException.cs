namespace CellVision.IO.Tiff;

/// <summary>
/// Thrown when a TIFF file is malformed or uses an unsupported feature: offsets past the end of the file, a truncated
/// strip, an unknown compression, tiles, several samples per pixel. <see cref="Path"/> names the file and
/// <see cref="Field"/> the page and tag at fault.
/// </summary>
public class TiffFormatException : IOException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public TiffFormatException() : base("The TIFF file is invalid.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was wrong.</param>
    public TiffFormatException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public TiffFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an exception naming the file and field.</summary>
    /// <param name="path">The file.</param>
    /// <param name="field">The page and tag, for example "page 3, StripOffsets".</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public TiffFormatException(string path, string field, string problem, Exception? innerException = null)
        : base($"{path}: {field}: {problem}", innerException)
    {
        Path = path;
        Field = field;
    }

    /// <summary>The file at fault.</summary>
    public string? Path { get; }

    /// <summary>The page and tag at fault.</summary>
    public string? Field { get; }
}
