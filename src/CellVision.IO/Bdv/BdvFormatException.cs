namespace CellVision.IO.Bdv;

/// <summary>Thrown when a BigDataViewer XML file is malformed, uses a DTD or external entity (refused), or lacks a required element; names the file and element.</summary>
public class BdvFormatException : IOException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public BdvFormatException() : base("The BigDataViewer dataset is invalid.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was wrong.</param>
    public BdvFormatException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public BdvFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an exception naming the file and element.</summary>
    /// <param name="path">The XML file.</param>
    /// <param name="element">The element at fault.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public BdvFormatException(string path, string element, string problem, Exception? innerException = null)
        : base($"{path}: <{element}> {problem}", innerException)
    {
        Path = path;
        Element = element;
    }

    /// <summary>The XML file.</summary>
    public string? Path { get; }

    /// <summary>The element at fault.</summary>
    public string? Element { get; }
}
