namespace CellVision.IO.Movies;

/// <summary>The image formats <c>cellvision</c> reads and writes.</summary>
public enum MovieFormat
{
    /// <summary>One TIFF file: a Z stack (ImageJ metadata gives the voxel size), or an ImageJ hyperstack of frames.</summary>
    Tiff,

    /// <summary>A folder of TIFF stacks, one per timepoint, in natural numeric order of their names.</summary>
    TiffSequence,

    /// <summary>BigDataViewer XML with its HDF5 file (setup 0, full resolution).</summary>
    Bdv,

    /// <summary>A Zarr array, Z,Y,X or T,Z,Y,X: version 3 when the folder holds <c>zarr.json</c>, else version 2 (written as version 2).</summary>
    Zarr,

    /// <summary>An OME-Zarr image (full-resolution level, one timepoint).</summary>
    OmeZarr,

    /// <summary>A Cell Tracking Challenge image folder (<c>t000.tif</c>, <c>t001.tif</c>, …).</summary>
    Ctc,
}
