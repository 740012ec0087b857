namespace CellVision.IO.Tests;

/// <summary>Test classes that use libhdf5 run one after another, so that process-wide HDF5 counts are theirs alone.</summary>
[CollectionDefinition(Name)]
public sealed class Hdf5CollectionDefinition
{
    internal const string Name = "libhdf5";
}
