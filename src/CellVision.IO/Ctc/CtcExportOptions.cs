using CellVision.Core.Geometry;
using CellVision.IO.Tiff;

namespace CellVision.IO.Ctc;

/// <summary>Which half of a CTC pair a folder holds.</summary>
public enum CtcFolderKind
{
    /// <summary>A result: <c>maskTTT.tif</c> and <c>res_track.txt</c> (the <c>XX_RES</c> folder).</summary>
    Result,

    /// <summary>Tracking ground truth: <c>man_trackTTT.tif</c> and <c>man_track.txt</c> (the <c>XX_GT/TRA</c> folder).</summary>
    GroundTruth,
}

/// <summary>Options of <see cref="CtcExporter"/>.</summary>
public sealed record CtcExportOptions
{
    /// <summary>ELEPHANT's tag set that marks finished lineages (<c>ElephantConstantsMixin.STATUS_TAGSET_NAME</c>).</summary>
    public const string StatusTagSet = "Status";

    /// <summary>ELEPHANT's tag of a finished lineage's root spot (<c>STATUS_COMPLETED_TAG_NAME</c>).</summary>
    public const string CompletedTag = "Completed";

    /// <summary>The physical size of a voxel, to turn spot positions and covariances (µm) into voxels.</summary>
    public required VoxelSize VoxelSize { get; init; }

    /// <summary>The frame shape (depth, height, width); depth 1 for 2-D data.</summary>
    public required (int Depth, int Height, int Width) Shape { get; init; }

    /// <summary>The first frame written (default 0; the CTC tools expect frames from 0).</summary>
    public int FirstFrame { get; init; }

    /// <summary>The last frame written; null for the last timepoint that holds a spot.</summary>
    public int? LastFrame { get; init; }

    /// <summary>
    /// Export only the lineages whose root spot (a spot without incoming links) carries <see cref="CompletedTag"/> in the
    /// <see cref="StatusTagSet"/> tag set, with all their descendants, as ELEPHANT's "Export CTC" does. False (the
    /// default) exports every spot.
    /// </summary>
    public bool OnlyCompletedLineages { get; init; }

    /// <summary>Write a result (<c>mask</c>, <c>res_track.txt</c>, the default) or TRA ground truth (<c>man_track</c>, <c>man_track.txt</c>).</summary>
    public CtcFolderKind Kind { get; init; } = CtcFolderKind.Result;

    /// <summary>TIFF compression of the masks; Deflate (zlib) by default, as ELEPHANT writes them.</summary>
    public TiffCompression Compression { get; init; } = TiffCompression.Deflate;

    /// <summary>Smallest number of voxels of each drawn ellipsoid shell (ELEPHANT's CTC export: 20).</summary>
    public int MinimumVoxels { get; init; } = 20;

    /// <summary>Frames drawn at once; 0 or less for the number of processors.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}
