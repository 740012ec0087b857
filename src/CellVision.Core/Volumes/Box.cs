using System.Collections.Immutable;

namespace CellVision.Core.Volumes;

/// <summary>
/// An axis-aligned N-dimensional box of voxel indices: a start (inclusive) and a size per dimension, in array order
/// (for volumes Z, Y, X; for time-lapse arrays T, C, Z, Y, X). Used for regions of interest, chunks and shards.
/// </summary>
public readonly record struct Box
{
    /// <summary>Creates a box from its start and size.</summary>
    /// <param name="start">First index of each dimension.</param>
    /// <param name="size">Extent of each dimension (≥ 0).</param>
    /// <exception cref="ArgumentException">The ranks differ or a size is negative.</exception>
    public Box(ReadOnlySpan<long> start, ReadOnlySpan<long> size)
    {
        if (start.Length != size.Length)
        {
            throw new ArgumentException($"The start has {start.Length} dimensions but the size has {size.Length}.", nameof(size));
        }

        foreach (var s in size)
        {
            if (s < 0)
            {
                throw new ArgumentException($"Box sizes must be ≥ 0, got [{string.Join(", ", size.ToArray())}].", nameof(size));
            }
        }

        Start = [.. start];
        Size = [.. size];
    }

    /// <summary>First index of each dimension.</summary>
    public ImmutableArray<long> Start { get; }

    /// <summary>Extent of each dimension.</summary>
    public ImmutableArray<long> Size { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Start.IsDefault ? 0 : Start.Length;

    /// <summary>One past the last index of each dimension.</summary>
    public long[] End
    {
        get
        {
            var end = new long[Rank];
            for (var i = 0; i < end.Length; i++)
            {
                end[i] = Start[i] + Size[i];
            }

            return end;
        }
    }

    /// <summary>Number of voxels in the box.</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var s in Size)
            {
                count *= s;
            }

            return count;
        }
    }

    /// <summary>Whether the box holds no voxel.</summary>
    public bool IsEmpty => ElementCount == 0;

    /// <summary>The box from the origin with the given shape.</summary>
    /// <param name="shape">Extent of each dimension.</param>
    public static Box FromShape(params ReadOnlySpan<long> shape) => new(new long[shape.Length], shape);

    /// <summary>A three-dimensional box in Z, Y, X order.</summary>
    /// <param name="z">First plane.</param>
    /// <param name="y">First row.</param>
    /// <param name="x">First column.</param>
    /// <param name="depth">Number of planes.</param>
    /// <param name="height">Number of rows.</param>
    /// <param name="width">Number of columns.</param>
    public static Box FromZyx(long z, long y, long x, long depth, long height, long width) => new([z, y, x], [depth, height, width]);

    /// <summary>The overlap of this box and <paramref name="other"/>; empty (size 0 somewhere) when they do not overlap.</summary>
    /// <param name="other">A box of the same rank.</param>
    public Box Intersect(Box other)
    {
        CheckRank(other);
        var start = new long[Rank];
        var size = new long[Rank];
        for (var i = 0; i < Rank; i++)
        {
            start[i] = Math.Max(Start[i], other.Start[i]);
            size[i] = Math.Max(0, Math.Min(Start[i] + Size[i], other.Start[i] + other.Size[i]) - start[i]);
        }

        return new Box(start, size);
    }

    /// <summary>This box clipped to an array of the given shape.</summary>
    /// <param name="shape">The array's extent.</param>
    public Box ClipTo(ReadOnlySpan<long> shape) => Intersect(FromShape(shape));

    /// <summary>Whether <paramref name="other"/> lies entirely inside this box.</summary>
    /// <param name="other">A box of the same rank.</param>
    public bool Contains(Box other)
    {
        CheckRank(other);
        for (var i = 0; i < Rank; i++)
        {
            if (other.Start[i] < Start[i] || other.Start[i] + other.Size[i] > Start[i] + Size[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>This box moved by <paramref name="offset"/>.</summary>
    /// <param name="offset">Shift of each dimension.</param>
    public Box Translate(ReadOnlySpan<long> offset)
    {
        if (offset.Length != Rank)
        {
            throw new ArgumentException($"The offset has {offset.Length} dimensions but the box has {Rank}.", nameof(offset));
        }

        var start = new long[Rank];
        for (var i = 0; i < Rank; i++)
        {
            start[i] = Start[i] + offset[i];
        }

        return new Box(start, Size.AsSpan());
    }

    /// <inheritdoc />
    public bool Equals(Box other) => Start.AsSpan().SequenceEqual(other.Start.AsSpan()) && Size.AsSpan().SequenceEqual(other.Size.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var v in Start)
        {
            hash.Add(v);
        }

        foreach (var v in Size)
        {
            hash.Add(v);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => $"Box(start=[{string.Join(", ", Start)}], size=[{string.Join(", ", Size)}])";

    private void CheckRank(Box other)
    {
        if (other.Rank != Rank)
        {
            throw new ArgumentException($"Boxes of rank {Rank} and {other.Rank} cannot be combined.", nameof(other));
        }
    }
}
