namespace CellVision.IO.Ctc;

/// <summary>Thrown when a Cell Tracking Challenge track file or folder is malformed; names the file and the line or frame.</summary>
public class CtcFormatException : IOException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public CtcFormatException() : base("The Cell Tracking Challenge data are invalid.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was wrong.</param>
    public CtcFormatException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CtcFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an exception naming the file and the line or field.</summary>
    /// <param name="path">The file or folder.</param>
    /// <param name="field">For example "line 12".</param>
    /// <param name="problem">What is wrong.</param>
    public CtcFormatException(string path, string field, string problem)
        : base($"{path}: {field}: {problem}")
    {
        Path = path;
        Field = field;
    }

    /// <summary>The file or folder at fault.</summary>
    public string? Path { get; }

    /// <summary>The line or field at fault.</summary>
    public string? Field { get; }
}
