using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>
/// The training partitions of a label volume (<see cref="FloodFillPartitions.Compute{T}"/>): one byte per voxel of the
/// input's shape, 0 for background, 1 … thresholds + 1 for object voxels by how much of their box their own label fills,
/// <see cref="FloodFillPartitions.Excluded"/> (255) in the border of one box radius and where the exclusion mask reaches.
/// </summary>
public sealed class FloodFillPartitionMap : IDisposable
{
    private readonly long[] counts;

    internal FloodFillPartitionMap(Volume<byte> volume, long[] counts, long excludedCount, (int Z, int Y, int X) lomRadius)
    {
        Volume = volume;
        this.counts = counts;
        ExcludedCount = excludedCount;
        LomRadius = lomRadius;
    }

    /// <summary>The partition of every voxel, the input's shape, Z, Y, X; disposed with this map.</summary>
    public Volume<byte> Volume { get; }

    /// <summary>
    /// Voxels of each partition value inside the valid region (the volume less the border of <see cref="LomRadius"/>),
    /// indexed by value, 0 … thresholds + 1 (the reference's <c>partition_counts</c> attribute, less the excluded voxels).
    /// </summary>
    public IReadOnlyList<long> Counts => counts;

    /// <summary>Voxels inside the valid region that the exclusion mask marked 255.</summary>
    public long ExcludedCount { get; }

    /// <summary>The box radius, Z, Y, X: the width of the border marked excluded, and the corner of the valid region.</summary>
    public (int Z, int Y, int X) LomRadius { get; }

    /// <summary>Returns the volume's buffer to the pool.</summary>
    public void Dispose() => Volume.Dispose();
}
