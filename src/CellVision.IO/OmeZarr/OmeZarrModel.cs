using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.IO.OmeZarr;

/// <summary>One OME-Zarr axis.</summary>
/// <param name="Name">"t", "c", "z", "y", "x", …</param>
/// <param name="Type">"space", "time", "channel", or null.</param>
/// <param name="Unit">A UDUNITS unit such as "micrometer", or null.</param>
public sealed record OmeZarrAxis(string Name, string? Type, string? Unit);

/// <summary>One resolution level: its array and its physical scale and translation per axis.</summary>
/// <param name="Path">The dataset path inside the image group.</param>
/// <param name="Array">The level's array.</param>
/// <param name="Scale">Physical size of one voxel per axis.</param>
/// <param name="Translation">Physical position of voxel 0 per axis.</param>
public sealed record OmeZarrLevel(string Path, ChunkedArray Array, double[] Scale, double[] Translation);

/// <summary>How <see cref="OmeZarrImage.Write{T}"/> stores an image.</summary>
public sealed record OmeZarrWriteOptions
{
    /// <summary>Resolution levels, level 0 included; null adds halved levels while the new level's smallest XY side stays at least 64 voxels.</summary>
    public int? Levels { get; init; }

    /// <summary>Chunk size Z, Y, X (default 16×256×256, clipped to each level).</summary>
    public long[] Chunks { get; init; } = [16, 256, 256];

    /// <summary>Chunk compressor (default Blosc LZ4 with byte shuffle, zarr-python 2's default; neuroglancer reads it).</summary>
    public ZarrCompressor? Compressor { get; init; } = ZarrCompressor.Default;

    /// <summary>Spatial unit (default "micrometer"; "micron"/"µm" are converted).</summary>
    public string Unit { get; init; } = "micrometer";

    /// <summary>The multiscale's name.</summary>
    public string Name { get; init; } = "image";

    /// <summary>OME-Zarr version: "0.4" (Zarr v2, default) or "0.5" (Zarr v3).</summary>
    public string Version { get; init; } = "0.4";
}
