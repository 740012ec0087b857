namespace CellVision.IO.Zarr;

/// <summary>
/// How <see cref="SectionsToZarr"/> writes a stack of sections as a funlib dataset, with the defaults of incasem's
/// <c>00_image_sequences_to_zarr.py</c>: uint8 voxels of 5 nm, chunks of 128³, the whole stack.
/// </summary>
public sealed record SectionsToZarrOptions
{
    /// <summary>The array's element type: an unsigned integer (incasem: uint8 for raw, uint32 for labels).</summary>
    public ZarrDataType DataType { get; init; } = new(ZarrElementKind.UInt, 1);

    /// <summary>Voxel size Z, Y, X in nanometres, written as funlib's <c>resolution</c> (incasem's <c>--resolution</c>, default 5 5 5).</summary>
    public IReadOnlyList<double> Resolution { get; init; } = [5, 5, 5];

    /// <summary>
    /// The first voxel taken from the stack, Z, Y, X (incasem's <c>--offset</c>): sections from Z on, each cropped from
    /// row Y and column X. The array's funlib <c>offset</c> is this times <see cref="Resolution"/>, so it keeps its place in the world.
    /// </summary>
    public IReadOnlyList<long> Offset { get; init; } = [0, 0, 0];

    /// <summary>The extent taken, Z, Y, X (incasem's <c>--shape</c>), or null (default) for everything from <see cref="Offset"/> to the stack's end.</summary>
    public IReadOnlyList<long>? Shape { get; init; }

    /// <summary>Chunk extent Z, Y, X (incasem: 128³); clipped to the array's shape.</summary>
    public IReadOnlyList<long> Chunks { get; init; } = [128, 128, 128];

    /// <summary>Write <c>255 − value</c> instead of the value (incasem's <c>--invert</c>); every value must then lie below 256.</summary>
    public bool Invert { get; init; }

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The type is not an unsigned integer, a list does not have three values, a voxel size or chunk extent is not positive, an offset is negative or a shape is below 1.</exception>
    public void Validate()
    {
        if (DataType.Kind != ZarrElementKind.UInt || DataType.Size is not (1 or 2 or 4 or 8) || DataType.BigEndian)
        {
            throw new ArgumentOutOfRangeException(nameof(DataType), DataType, "The element type must be a little-endian unsigned integer (uint8, uint16, uint32 or uint64).");
        }

        if (Resolution.Count != 3 || Resolution.Any(r => !(r > 0) || !double.IsFinite(r)))
        {
            throw new ArgumentOutOfRangeException(nameof(Resolution), $"The voxel size must be three positive numbers Z, Y, X in nm; it is [{string.Join(", ", Resolution)}].");
        }

        if (Offset.Count != 3 || Offset.Any(o => o < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Offset), $"The offset must be three voxel indices Z, Y, X, none negative; it is [{string.Join(", ", Offset)}].");
        }

        if (Shape is { } shape && (shape.Count != 3 || shape.Any(s => s < 1)))
        {
            throw new ArgumentOutOfRangeException(nameof(Shape), $"The shape must be three positive extents Z, Y, X; it is [{string.Join(", ", shape)}].");
        }

        if (Chunks.Count != 3 || Chunks.Any(c => c < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Chunks), $"The chunks must be three positive extents Z, Y, X; they are [{string.Join(", ", Chunks)}].");
        }
    }
}
