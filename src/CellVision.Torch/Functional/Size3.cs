namespace CellVision.Torch;

/// <summary>Three sizes for the depth (Z), height (Y) and width (X) of a 3D kernel, stride, padding or dilation.</summary>
/// <param name="Depth">Along Z.</param>
/// <param name="Height">Along Y.</param>
/// <param name="Width">Along X.</param>
public readonly record struct Size3(long Depth, long Height, long Width)
{
    /// <summary>The same size along all three axes.</summary>
    /// <param name="size">The size.</param>
    public static implicit operator Size3(long size) => new(size, size, size);

    /// <summary>Sizes from a (depth, height, width) tuple.</summary>
    /// <param name="sizes">The sizes.</param>
    public static implicit operator Size3((long Depth, long Height, long Width) sizes) => new(sizes.Depth, sizes.Height, sizes.Width);

    /// <summary>The same size along all three axes.</summary>
    /// <param name="size">The size.</param>
    public static Size3 FromInt64(long size) => size;

    internal long[] ToArray() => [Depth, Height, Width];
}

/// <summary>Two sizes for the height (Y) and width (X) of a 2D kernel, stride, padding or dilation.</summary>
/// <param name="Height">Along Y.</param>
/// <param name="Width">Along X.</param>
public readonly record struct Size2(long Height, long Width)
{
    /// <summary>The same size along both axes.</summary>
    /// <param name="size">The size.</param>
    public static implicit operator Size2(long size) => new(size, size);

    /// <summary>Sizes from a (height, width) tuple.</summary>
    /// <param name="sizes">The sizes.</param>
    public static implicit operator Size2((long Height, long Width) sizes) => new(sizes.Height, sizes.Width);

    /// <summary>The same size along both axes.</summary>
    /// <param name="size">The size.</param>
    public static Size2 FromInt64(long size) => size;

    internal long[] ToArray() => [Height, Width];
}
