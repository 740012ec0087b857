namespace CellVision.IO.Zarr;

/// <summary>Copies N-dimensional blocks between C-order buffers and converts Fortran-order chunks.</summary>
internal static unsafe class ChunkLayout
{
    /// <summary>Element strides of a C-order array.</summary>
    internal static long[] Strides(ReadOnlySpan<long> shape)
    {
        var strides = new long[shape.Length];
        long step = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = step;
            step *= shape[i];
        }

        return strides;
    }

    /// <summary>
    /// Copies a block of extent <paramref name="size"/> from a C-order array <paramref name="source"/> of shape
    /// <paramref name="sourceShape"/> at <paramref name="sourceStart"/> to <paramref name="destination"/> at <paramref name="destinationStart"/>.
    /// </summary>
    internal static void CopyBlock(byte* source, ReadOnlySpan<long> sourceShape, ReadOnlySpan<long> sourceStart, byte* destination, ReadOnlySpan<long> destinationShape, ReadOnlySpan<long> destinationStart, ReadOnlySpan<long> size, int elementSize)
    {
        var rank = size.Length;
        if (rank == 0)
        {
            Buffer.MemoryCopy(source, destination, elementSize, elementSize);
            return;
        }

        foreach (var s in size)
        {
            if (s == 0)
            {
                return;
            }
        }

        var sourceStrides = Strides(sourceShape);
        var destinationStrides = Strides(destinationShape);
        long sourceOffset = 0, destinationOffset = 0;
        for (var i = 0; i < rank; i++)
        {
            sourceOffset += sourceStart[i] * sourceStrides[i];
            destinationOffset += destinationStart[i] * destinationStrides[i];
        }

        var run = size[rank - 1] * elementSize;
        Span<long> counter = stackalloc long[rank];
        while (true)
        {
            Buffer.MemoryCopy(source + (sourceOffset * elementSize), destination + (destinationOffset * elementSize), run, run);
            var dimension = rank - 2;
            while (dimension >= 0)
            {
                counter[dimension]++;
                sourceOffset += sourceStrides[dimension];
                destinationOffset += destinationStrides[dimension];
                if (counter[dimension] < size[dimension])
                {
                    break;
                }

                sourceOffset -= counter[dimension] * sourceStrides[dimension];
                destinationOffset -= counter[dimension] * destinationStrides[dimension];
                counter[dimension] = 0;
                dimension--;
            }

            if (dimension < 0)
            {
                return;
            }
        }
    }

    /// <summary>Reorders a chunk between Fortran order and C order.</summary>
    /// <param name="source">The chunk in one order.</param>
    /// <param name="destination">The chunk in the other order.</param>
    /// <param name="shape">The chunk shape.</param>
    /// <param name="elementSize">Bytes per element.</param>
    /// <param name="fortranToC">True to convert F → C, false for C → F.</param>
    internal static void Transpose(ReadOnlySpan<byte> source, Span<byte> destination, ReadOnlySpan<long> shape, int elementSize, bool fortranToC)
    {
        var rank = shape.Length;
        var fortranStrides = new long[rank];
        long step = 1;
        for (var i = 0; i < rank; i++)
        {
            fortranStrides[i] = step;
            step *= shape[i];
        }

        var count = step;
        Span<long> counter = stackalloc long[Math.Max(rank, 1)];
        long fortranOffset = 0;
        for (long c = 0; c < count; c++)
        {
            var from = fortranToC ? source.Slice((int)(fortranOffset * elementSize), elementSize) : source.Slice((int)(c * elementSize), elementSize);
            var to = fortranToC ? destination.Slice((int)(c * elementSize), elementSize) : destination.Slice((int)(fortranOffset * elementSize), elementSize);
            from.CopyTo(to);
            for (var d = rank - 1; d >= 0; d--)
            {
                counter[d]++;
                fortranOffset += fortranStrides[d];
                if (counter[d] < shape[d])
                {
                    break;
                }

                fortranOffset -= counter[d] * fortranStrides[d];
                counter[d] = 0;
            }
        }
    }
}
