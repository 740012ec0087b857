namespace CellVision.IO.Zarr;

/// <summary>
/// Thrown when Zarr metadata or a chunk is invalid or unsupported: malformed JSON, an unknown dtype or codec, a
/// truncated, over-long or oversized chunk. <see cref="Path"/> names the file and <see cref="Field"/> the metadata
/// field or chunk key at fault.
/// </summary>
public class ZarrFormatException : IOException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public ZarrFormatException() : base("The Zarr data is invalid.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was wrong.</param>
    public ZarrFormatException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ZarrFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an exception naming the file and field.</summary>
    /// <param name="path">The file (metadata document or chunk).</param>
    /// <param name="field">The metadata field or chunk key.</param>
    /// <param name="problem">What is wrong and what was expected.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ZarrFormatException(string path, string field, string problem, Exception? innerException = null)
        : base($"{path}: '{field}' {problem}", innerException)
    {
        Path = path;
        Field = field;
    }

    /// <summary>The file at fault.</summary>
    public string? Path { get; }

    /// <summary>The metadata field or chunk key at fault.</summary>
    public string? Field { get; }
}
