using System.Numerics;

namespace CellVision.Segmentation;

/// <summary>
/// Taxicab (L1) distances to the nearest source voxel, saturated at a cap, in place on a Z, Y, X byte grid. The L1
/// metric is separable: a forward and a backward sweep per axis give the exact minimum of <c>d(q) + |p − q|₁</c>.
/// The ball of radius n of this metric is the 6-connected cross dilated n − 1 times, which is why it reproduces
/// scipy's iterated binary morphology.
/// </summary>
internal static class TaxicabDistance
{
    /// <summary>
    /// Turns <paramref name="distances"/> (0 at sources, <paramref name="cap"/> elsewhere) into distances capped at
    /// <paramref name="cap"/>. Faces flagged in <paramref name="sourceFaces"/> have sources just outside them. Without
    /// <paramref name="alongZ"/> distances stay within each Z section (the in-plane cross).
    /// </summary>
    internal static void Transform(Span<byte> distances, (int Depth, int Height, int Width) shape, byte cap, Faces sourceFaces, bool alongZ = true)
    {
        var (depth, height, width) = shape;
        var limit = (byte)(cap - 1);
        for (var row = 0; row < depth * height; row++)
        {
            SweepRow(distances.Slice(row * width, width), limit, sourceFaces.LowX, sourceFaces.HighX);
        }

        for (var z = 0; z < depth; z++)
        {
            SweepLines(distances.Slice(z * height * width, height * width), height, width, limit, sourceFaces.LowY, sourceFaces.HighY);
        }

        if (alongZ)
        {
            SweepLines(distances, depth, height * width, limit, sourceFaces.LowZ, sourceFaces.HighZ);
        }
    }

    /// <summary>Both sweeps along one contiguous line.</summary>
    private static void SweepRow(Span<byte> line, byte limit, bool lowSource, bool highSource)
    {
        // The carry is the distance of the previous voxel; a source face acts as a voxel at distance 0.
        var carry = lowSource ? 0 : limit + 1;
        for (var i = 0; i < line.Length; i++)
        {
            var next = Math.Min(carry, limit) + 1;
            carry = line[i] < next ? line[i] : next;
            line[i] = (byte)carry;
        }

        carry = highSource ? 0 : limit + 1;
        for (var i = line.Length - 1; i >= 0; i--)
        {
            var next = Math.Min(carry, limit) + 1;
            carry = line[i] < next ? line[i] : next;
            line[i] = (byte)carry;
        }
    }

    /// <summary>Both sweeps along the slow axis of a <paramref name="count"/> × <paramref name="stride"/> block, a whole row of lines at once.</summary>
    private static void SweepLines(Span<byte> block, int count, int stride, byte limit, bool lowSource, bool highSource)
    {
        if (lowSource)
        {
            ClampToOne(block[..stride]);
        }

        for (var i = 1; i < count; i++)
        {
            RelaxFrom(block.Slice((i - 1) * stride, stride), block.Slice(i * stride, stride), limit);
        }

        if (highSource)
        {
            ClampToOne(block.Slice((count - 1) * stride, stride));
        }

        for (var i = count - 2; i >= 0; i--)
        {
            RelaxFrom(block.Slice((i + 1) * stride, stride), block.Slice(i * stride, stride), limit);
        }
    }

    private static void ClampToOne(Span<byte> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Min(values[i], (byte)1);
        }
    }

    /// <summary><c>target = min(target, min(previous, limit) + 1)</c>, which never overflows a byte since limit ≤ 254.</summary>
    private static void RelaxFrom(ReadOnlySpan<byte> previous, Span<byte> target, byte limit)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<byte>.One;
            var limits = new Vector<byte>(limit);
            for (; i <= target.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                var next = Vector.Min(new Vector<byte>(previous[i..]), limits) + one;
                Vector.Min(new Vector<byte>(target[i..]), next).CopyTo(target[i..]);
            }
        }

        for (; i < target.Length; i++)
        {
            var next = (byte)(Math.Min(previous[i], limit) + 1);
            target[i] = Math.Min(target[i], next);
        }
    }

    /// <summary>Which of the six faces of a block have sources just outside them (low/high along each axis).</summary>
    internal readonly record struct Faces(bool LowZ, bool HighZ, bool LowY, bool HighY, bool LowX, bool HighX)
    {
        /// <summary>Every face: the outside of a whole volume.</summary>
        internal static Faces All => new(true, true, true, true, true, true);

        /// <summary>No face.</summary>
        internal static Faces None => default;
    }
}
