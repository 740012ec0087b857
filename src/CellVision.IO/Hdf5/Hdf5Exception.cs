namespace CellVision.IO.Hdf5;

/// <summary>Thrown when libhdf5 cannot open, read or write something; names the file and the object.</summary>
public class Hdf5Exception : IOException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public Hdf5Exception() : base("An HDF5 operation failed.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What failed.</param>
    public Hdf5Exception(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public Hdf5Exception(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an exception naming the file and object.</summary>
    /// <param name="path">The HDF5 file.</param>
    /// <param name="objectPath">The dataset, group or attribute.</param>
    /// <param name="problem">What failed.</param>
    public Hdf5Exception(string path, string objectPath, string problem)
        : base($"{path}: {objectPath}: {problem}")
    {
        Path = path;
        ObjectPath = objectPath;
    }

    /// <summary>The HDF5 file.</summary>
    public string? Path { get; }

    /// <summary>The object inside the file.</summary>
    public string? ObjectPath { get; }
}
