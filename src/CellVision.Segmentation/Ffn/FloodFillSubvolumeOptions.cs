namespace CellVision.Segmentation;

/// <summary>
/// How <see cref="FloodFillSegmenter.SegmentInSubvolumes{T}"/> tiles a volume into canvases. The reference runs one
/// canvas per requested box (its FIB-25 run: one 250³ box); these defaults keep that size.
/// </summary>
public sealed record FloodFillSubvolumeOptions
{
    /// <summary>Size of each subvolume, Z, Y, X (default 250³, the reference run's box; clipped to the volume). Memory grows with it: about 50 bytes per voxel while seeds are found.</summary>
    public (int Z, int Y, int X) Size { get; init; } = (250, 250, 250);

    /// <summary>
    /// Voxels that neighbouring subvolumes share along Z, Y, X (default 32: twice the reference network's field-of-view
    /// radius, so that every position that can centre a field of view in the volume can in some subvolume).
    /// </summary>
    public (int Z, int Y, int X) Overlap { get; init; } = (32, 32, 32);

    /// <summary>Checks the sizes and returns this instance.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or an overlap is negative or not smaller than the size.</exception>
    public FloodFillSubvolumeOptions Validate()
    {
        if (Size.Z <= 0 || Size.Y <= 0 || Size.X <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Size), Size, "The subvolume size must be positive along every axis.");
        }

        if (Overlap.Z < 0 || Overlap.Y < 0 || Overlap.X < 0 || Overlap.Z >= Size.Z || Overlap.Y >= Size.Y || Overlap.X >= Size.X)
        {
            throw new ArgumentOutOfRangeException(nameof(Overlap), Overlap, $"The overlap must lie between 0 and the subvolume size {Size} (exclusive) along every axis.");
        }

        return this;
    }
}
