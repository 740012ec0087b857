namespace CellVision.Segmentation;

/// <summary>An axis-aligned box of voxels: corner and size, Z, Y, X.</summary>
internal readonly record struct RegionBox(int Z, int Y, int X, int Depth, int Height, int Width)
{
    /// <summary>Voxels in the box.</summary>
    public long VoxelCount => (long)Depth * Height * Width;

    /// <summary>Whether the box holds no voxel.</summary>
    public bool IsEmpty => Depth <= 0 || Height <= 0 || Width <= 0;

    /// <summary>The box grown by a radius on every side and clipped to a volume of the given size.</summary>
    public RegionBox Expand((int Z, int Y, int X) radius, (int Depth, int Height, int Width) volume) =>
        Between(
            (Math.Max(0, Z - radius.Z), Math.Max(0, Y - radius.Y), Math.Max(0, X - radius.X)),
            (Math.Min(volume.Depth, Z + Depth + radius.Z), Math.Min(volume.Height, Y + Height + radius.Y), Math.Min(volume.Width, X + Width + radius.X)));

    /// <summary>The voxels common to this box and another (possibly empty).</summary>
    public RegionBox Intersect(RegionBox other) =>
        Between(
            (Math.Max(Z, other.Z), Math.Max(Y, other.Y), Math.Max(X, other.X)),
            (Math.Min(Z + Depth, other.Z + other.Depth), Math.Min(Y + Height, other.Y + other.Height), Math.Min(X + Width, other.X + other.Width)));

    private static RegionBox Between((int Z, int Y, int X) start, (int Z, int Y, int X) end) =>
        new(start.Z, start.Y, start.X, Math.Max(0, end.Z - start.Z), Math.Max(0, end.Y - start.Y), Math.Max(0, end.X - start.X));
}
