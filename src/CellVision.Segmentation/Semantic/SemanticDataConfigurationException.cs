namespace CellVision.Segmentation;

/// <summary>
/// Thrown when a semantic data configuration (incasem's data-configuration JSON) is invalid or does not fit the arrays
/// it names. <see cref="Source"/> names the file, <see cref="Dataset"/> the entry and <see cref="Field"/> the field
/// at fault.
/// </summary>
public class SemanticDataConfigurationException : FormatException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public SemanticDataConfigurationException() : base("The semantic data configuration is invalid.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was wrong.</param>
    public SemanticDataConfigurationException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SemanticDataConfigurationException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an exception naming the file, the dataset entry and the field.</summary>
    /// <param name="source">The configuration file, or a description of where the JSON came from.</param>
    /// <param name="dataset">The dataset entry, or null for the document as a whole.</param>
    /// <param name="field">The field, or null.</param>
    /// <param name="problem">What is wrong and what was expected.</param>
    /// <param name="innerException">The cause, if any.</param>
    public SemanticDataConfigurationException(string source, string? dataset, string? field, string problem, Exception? innerException = null)
        : base($"{source}: {(dataset is null ? string.Empty : $"dataset '{dataset}'")}{(field is null ? string.Empty : $"{(dataset is null ? string.Empty : ", ")}field '{field}'")}{(dataset is null && field is null ? string.Empty : ": ")}{problem}", innerException)
    {
        Source = source;
        Dataset = dataset;
        Field = field;
    }

    /// <summary>The configuration file at fault.</summary>
    public new string? Source { get; }

    /// <summary>The dataset entry at fault, or null.</summary>
    public string? Dataset { get; }

    /// <summary>The field at fault, or null.</summary>
    public string? Field { get; }
}
