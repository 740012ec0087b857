namespace CellVision.IO.Zarr;

/// <summary>Element order inside a chunk.</summary>
public enum ZarrOrder
{
    /// <summary>Last dimension fastest (C order; the default).</summary>
    C,

    /// <summary>First dimension fastest (Fortran order).</summary>
    F,
}
