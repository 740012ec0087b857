using System.Collections.Immutable;
using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>
/// One entry of an incasem data configuration: a region of interest of a Zarr container with its raw array, the
/// label arrays of each class, the sample mask and the metric masks.
/// </summary>
public sealed record SemanticDataset
{
    /// <summary>The entry's key in the configuration.</summary>
    public required string Name { get; init; }

    /// <summary>The Zarr container, relative to the data directory (incasem's <c>directories.data</c>).</summary>
    public required string File { get; init; }

    /// <summary>Start of the region of interest, Z, Y, X, in voxels of <see cref="VoxelSize"/> from the world origin.</summary>
    public required ImmutableArray<long> Offset { get; init; }

    /// <summary>Extent of the region of interest, Z, Y, X, in voxels.</summary>
    public required ImmutableArray<long> Shape { get; init; }

    /// <summary>Voxel size, Z, Y, X, in nanometres.</summary>
    public required ImmutableArray<double> VoxelSize { get; init; }

    /// <summary>The raw (uint8) array's path inside the container, e.g. <c>volumes/raw_equalized_0.02</c>.</summary>
    public required string Raw { get; init; }

    /// <summary>The label arrays and their classes; empty when the entry has no <c>labels</c> (all voxels are background).</summary>
    public ImmutableArray<SemanticLabelDataset> Labels { get; init; } = [];

    /// <summary>The sample mask's path, or null when every voxel is inside the sample.</summary>
    public string? Mask { get; init; }

    /// <summary>The metric masks' paths (AND-ed together); empty when every voxel counts.</summary>
    public ImmutableArray<string> MetricMasks { get; init; } = [];

    /// <summary>The region of interest in voxels of <see cref="VoxelSize"/>, counted from the world origin.</summary>
    public Box Region => new(Offset.AsSpan(), Shape.AsSpan());

    /// <summary>The region of interest's start in nanometres, Z, Y, X (offset · voxel size).</summary>
    public ImmutableArray<double> WorldOffset => [Offset[0] * VoxelSize[0], Offset[1] * VoxelSize[1], Offset[2] * VoxelSize[2]];
}
