namespace CellVision.Segmentation;

/// <summary>
/// Balanced, shuffled training centres (<see cref="FloodFillCoordinates.Build"/>), the volumes they point into and the
/// voxel count of every partition they were drawn from; read and written by <see cref="FloodFillCoordinateFile"/>.
/// </summary>
public sealed class FloodFillCoordinateSet
{
    /// <summary>Creates a set, checking that every coordinate lies inside its volume.</summary>
    /// <param name="volumes">The volumes, indexed by <see cref="FloodFillCoordinate.Volume"/>.</param>
    /// <param name="coordinates">The centres, in training order.</param>
    /// <param name="partitionCounts">Voxels of each partition value inside the margins, summed over the volumes.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A coordinate names a missing volume or lies outside its volume, or a partition value is 255.</exception>
    public FloodFillCoordinateSet(IReadOnlyList<FloodFillCoordinateVolume> volumes, IReadOnlyList<FloodFillCoordinate> coordinates, IReadOnlyDictionary<byte, long> partitionCounts)
        : this(volumes, coordinates, partitionCounts, checkCoordinates: true)
    {
    }

    /// <summary>Creates a set; <paramref name="checkCoordinates"/> is false only where the caller has checked them.</summary>
    internal FloodFillCoordinateSet(IReadOnlyList<FloodFillCoordinateVolume> volumes, IReadOnlyList<FloodFillCoordinate> coordinates, IReadOnlyDictionary<byte, long> partitionCounts, bool checkCoordinates)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(coordinates);
        ArgumentNullException.ThrowIfNull(partitionCounts);
        for (var i = 0; checkCoordinates && i < coordinates.Count; i++)
        {
            if (!IsInside(coordinates[i], volumes))
            {
                throw new ArgumentException($"Coordinate {i}, {coordinates[i]}, lies outside the volumes given ({volumes.Count}).", nameof(coordinates));
            }
        }

        if (partitionCounts.Keys.Contains(FloodFillPartitions.Excluded) || partitionCounts.Values.Any(c => c < 0))
        {
            throw new ArgumentException("Partition counts are for values 0 … 254 and are not negative.", nameof(partitionCounts));
        }

        Volumes = volumes;
        Coordinates = coordinates;
        PartitionCounts = partitionCounts;
    }

    /// <summary>The volumes, indexed by <see cref="FloodFillCoordinate.Volume"/>.</summary>
    public IReadOnlyList<FloodFillCoordinateVolume> Volumes { get; }

    /// <summary>The centres, in training order: every partition equally often.</summary>
    public IReadOnlyList<FloodFillCoordinate> Coordinates { get; }

    /// <summary>Voxels of each partition value inside the margins, summed over the volumes (the reference logs these); 255 is never a key.</summary>
    public IReadOnlyDictionary<byte, long> PartitionCounts { get; }

    /// <summary>Whether a coordinate names a volume of the list and lies inside it.</summary>
    internal static bool IsInside(FloodFillCoordinate c, IReadOnlyList<FloodFillCoordinateVolume> volumes) =>
        (uint)c.Volume < (uint)volumes.Count && (uint)c.Z < (uint)volumes[c.Volume].Depth && (uint)c.Y < (uint)volumes[c.Volume].Height && (uint)c.X < (uint)volumes[c.Volume].Width;
}
