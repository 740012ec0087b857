using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using CellVision.Core.Geometry;

namespace CellVision.Core.Volumes;

/// <summary>
/// A three-dimensional image stored Z, Y, X in C order (X fastest), with its physical voxel size and origin.
/// The voxels live in a pooled buffer: dispose the volume to return it.
/// </summary>
/// <typeparam name="T">The voxel type: byte, sbyte, ushort, short, uint, int, ulong, long, Half, float, double or bool.</typeparam>
public sealed class Volume<T> : IDisposable
    where T : unmanaged
{
    private T[]? buffer;

    /// <summary>Creates a zero-filled volume.</summary>
    /// <param name="depth">Planes (Z).</param>
    /// <param name="height">Rows (Y).</param>
    /// <param name="width">Columns (X).</param>
    /// <param name="voxelSize">Physical voxel size; null for 1 µm isotropic.</param>
    /// <param name="origin">Physical position (X, Y, Z in µm) of voxel (0, 0, 0); null for the origin.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or the volume exceeds the maximum array length.</exception>
    public Volume(int depth, int height, int width, VoxelSize? voxelSize = null, (double X, double Y, double Z)? origin = null)
        : this(depth, height, width, voxelSize, origin, clear: true)
    {
    }

    /// <summary>Creates a volume whose voxels are left as the pool hands them over when <paramref name="clear"/> is false (for producers that overwrite every voxel).</summary>
    private Volume(int depth, int height, int width, VoxelSize? voxelSize, (double X, double Y, double Z)? origin, bool clear)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        var count = (long)depth * height * width;
        if (count > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), $"A {depth}×{height}×{width} volume has {count} voxels; one Volume<T> holds at most {Array.MaxLength}. Read it in regions.");
        }

        Depth = depth;
        Height = height;
        Width = width;
        VoxelSize = (voxelSize ?? VoxelSize.Unit).Validate();
        Origin = origin ?? (0, 0, 0);
        buffer = ArrayPool<T>.Shared.Rent((int)count);
        HugePages.Advise(buffer.AsSpan());
        if (clear)
        {
            Span.Clear();
        }
    }

    /// <summary>
    /// Creates a volume whose voxels hold whatever the pool hands over, for producers that overwrite every voxel (saves
    /// clearing memory that is written next).
    /// </summary>
    /// <param name="depth">Planes (Z).</param>
    /// <param name="height">Rows (Y).</param>
    /// <param name="width">Columns (X).</param>
    /// <param name="voxelSize">Physical voxel size; null for 1 µm isotropic.</param>
    /// <param name="origin">Physical position (X, Y, Z in µm) of voxel (0, 0, 0); null for the origin.</param>
    /// <returns>The volume; its voxels are undefined until written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or the volume exceeds the maximum array length.</exception>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "A named constructor: the voxel type cannot be inferred from the arguments, so Volume<T>.CreateUninitialized(...) reads like new Volume<T>(...).")]
    public static Volume<T> CreateUninitialized(int depth, int height, int width, VoxelSize? voxelSize = null, (double X, double Y, double Z)? origin = null) =>
        new(depth, height, width, voxelSize, origin, clear: false);

    /// <summary>Planes (Z).</summary>
    public int Depth { get; }

    /// <summary>Rows (Y).</summary>
    public int Height { get; }

    /// <summary>Columns (X).</summary>
    public int Width { get; }

    /// <summary>The shape in array order: (Z, Y, X).</summary>
    public long[] Shape => [Depth, Height, Width];

    /// <summary>The whole volume as a box.</summary>
    public Box Bounds => Box.FromZyx(0, 0, 0, Depth, Height, Width);

    /// <summary>Number of voxels.</summary>
    public int Length => Depth * Height * Width;

    /// <summary>Physical size of one voxel.</summary>
    public VoxelSize VoxelSize { get; set; }

    /// <summary>Physical position (X, Y, Z in µm) of voxel (0, 0, 0).</summary>
    public (double X, double Y, double Z) Origin { get; set; }

    /// <summary>All voxels, Z, Y, X in C order.</summary>
    /// <exception cref="ObjectDisposedException">The volume has been disposed.</exception>
    public Span<T> Span => Buffer.AsSpan(0, Length);

    /// <summary>All voxels as bytes.</summary>
    public Span<byte> Bytes => MemoryMarshal.AsBytes(Span);

    /// <summary>The voxel at plane <paramref name="z"/>, row <paramref name="y"/>, column <paramref name="x"/>.</summary>
    /// <param name="z">Plane.</param>
    /// <param name="y">Row.</param>
    /// <param name="x">Column.</param>
    /// <exception cref="ArgumentOutOfRangeException">The voxel lies outside the volume.</exception>
    public ref T this[int z, int y, int x]
    {
        get
        {
            if ((uint)z >= (uint)Depth || (uint)y >= (uint)Height || (uint)x >= (uint)Width)
            {
                var name = (uint)z >= (uint)Depth ? nameof(z) : (uint)y >= (uint)Height ? nameof(y) : nameof(x);
                throw new ArgumentOutOfRangeException(name, $"Voxel ({z}, {y}, {x}) lies outside the {Depth}×{Height}×{Width} volume.");
            }

            return ref Buffer[(((z * Height) + y) * Width) + x];
        }
    }

    /// <summary>One row of voxels (fixed Z and Y).</summary>
    /// <param name="z">Plane.</param>
    /// <param name="y">Row.</param>
    public Span<T> Row(int z, int y) => Span.Slice(((z * Height) + y) * Width, Width);

    /// <summary>One plane of voxels (fixed Z), Y then X.</summary>
    /// <param name="z">Plane.</param>
    public Span<T> Plane(int z) => Span.Slice(z * Height * Width, Height * Width);

    /// <summary>Copies the voxels of <paramref name="region"/> into a new volume whose origin is the region's physical position.</summary>
    /// <param name="region">A box inside <see cref="Bounds"/>.</param>
    /// <exception cref="ArgumentException">The region is not three-dimensional or leaves the volume.</exception>
    public Volume<T> Crop(Box region)
    {
        if (region.Rank != 3 || !Bounds.Contains(region))
        {
            throw new ArgumentException($"{region} does not lie inside the {Depth}×{Height}×{Width} volume.", nameof(region));
        }

        var (z0, y0, x0) = ((int)region.Start[0], (int)region.Start[1], (int)region.Start[2]);
        var (ox, oy, oz) = VoxelSize.ToPhysical(z0, y0, x0);
        var crop = new Volume<T>((int)region.Size[0], (int)region.Size[1], (int)region.Size[2], VoxelSize, (Origin.X + ox, Origin.Y + oy, Origin.Z + oz));
        for (var z = 0; z < crop.Depth; z++)
        {
            for (var y = 0; y < crop.Height; y++)
            {
                Row(z0 + z, y0 + y).Slice(x0, crop.Width).CopyTo(crop.Row(z, y));
            }
        }

        return crop;
    }

    /// <summary>Copies <paramref name="source"/> into this volume with its voxel (0, 0, 0) at <paramref name="z"/>, <paramref name="y"/>, <paramref name="x"/>.</summary>
    /// <param name="source">The voxels to paste.</param>
    /// <param name="z">Target plane.</param>
    /// <param name="y">Target row.</param>
    /// <param name="x">Target column.</param>
    /// <exception cref="ArgumentException">The source does not fit.</exception>
    public void Paste(Volume<T> source, int z, int y, int x)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!Bounds.Contains(Box.FromZyx(z, y, x, source.Depth, source.Height, source.Width)))
        {
            throw new ArgumentException($"A {source.Depth}×{source.Height}×{source.Width} volume at ({z}, {y}, {x}) does not fit in {Depth}×{Height}×{Width}.", nameof(source));
        }

        for (var dz = 0; dz < source.Depth; dz++)
        {
            for (var dy = 0; dy < source.Height; dy++)
            {
                source.Row(dz, dy).CopyTo(Row(z + dz, y + dy).Slice(x, source.Width));
            }
        }
    }

    /// <summary>Returns the voxel buffer to the pool.</summary>
    public void Dispose()
    {
        var rented = buffer;
        buffer = null;
        if (rented is not null)
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>The pooled array behind the voxels (may be longer than <see cref="Length"/>), for kernels that need an array.</summary>
    internal T[] PooledArray => Buffer;

    private T[] Buffer => buffer ?? throw new ObjectDisposedException(nameof(Volume<T>), "The volume has been disposed and its buffer returned to the pool.");
}
