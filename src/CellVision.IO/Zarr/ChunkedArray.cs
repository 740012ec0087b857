using System.Buffers;
using System.Runtime.InteropServices;
using CellVision.Core.Volumes;

namespace CellVision.IO.Zarr;

/// <summary>
/// An N-dimensional array stored as a regular grid of chunks (Zarr v2 or v3), read and written in any region,
/// chunk by chunk in parallel.
/// </summary>
/// <remarks>
/// Concurrency: reads may run in parallel with each other. Writes of regions that touch different chunks may run in
/// parallel, from threads or processes. Two writes that touch the same chunk (for sharded v3 arrays: the same shard)
/// must not overlap in time: each rewrites the whole chunk, so the later one wins and a partial write can drop the
/// other's voxels in that chunk. Chunk files are replaced atomically, so a reader sees either the old or the new
/// chunk, never a mix.
/// </remarks>
public abstract class ChunkedArray : IChunkedVolume
{
    private readonly byte[] fillBytes;

    /// <summary>Sets up the grid.</summary>
    /// <param name="shape">Array extent.</param>
    /// <param name="chunkShape">Extent of the unit read and written at once (a chunk, or a shard).</param>
    /// <param name="elementSize">Bytes per element.</param>
    /// <param name="fillBytes">One element holding the fill value, little-endian.</param>
    /// <param name="description">Where the array lives, for messages.</param>
    private protected ChunkedArray(long[] shape, long[] chunkShape, int elementSize, byte[] fillBytes, string description)
    {
        ShapeArray = shape;
        ChunkShapeArray = chunkShape;
        ElementSize = elementSize;
        this.fillBytes = fillBytes;
        Description = description;
        var count = chunkShape.Aggregate(1L, (a, b) => a * b) * elementSize;
        if (count > Array.MaxLength)
        {
            throw new ZarrFormatException(description, "chunks", $"describe chunks of {count} bytes; at most {Array.MaxLength} are supported.");
        }

        ChunkByteCount = (int)count;
    }

    /// <summary>Extent of each dimension.</summary>
    public IReadOnlyList<long> Shape => ShapeArray;

    /// <summary>The whole array as a box.</summary>
    public Box Bounds => Box.FromShape(ShapeArray);

    /// <summary>Threads used to decode or encode chunks (default: all cores).</summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Number of dimensions.</summary>
    public int Rank => ShapeArray.Length;

    /// <summary>Bytes per element.</summary>
    public int ElementSize { get; }

    private protected long[] ShapeArray { get; }

    private protected long[] ChunkShapeArray { get; }

    private protected int ChunkByteCount { get; }

    private protected string Description { get; }

    /// <summary>Reads and decodes the chunk at <paramref name="chunkIndex"/> into little-endian C order; missing chunks hold the fill value.</summary>
    private protected abstract void DecodeChunk(long[] chunkIndex, Span<byte> chunk);

    /// <summary>Encodes and stores the chunk at <paramref name="chunkIndex"/> from little-endian C order.</summary>
    private protected abstract void EncodeChunk(long[] chunkIndex, Span<byte> chunk);

    /// <summary>Throws <see cref="ArgumentException"/> when <typeparamref name="T"/> does not match the element type.</summary>
    private protected abstract void CheckType<T>()
        where T : unmanaged;

    /// <summary>Reads <paramref name="region"/> into a new array in C order.</summary>
    /// <typeparam name="T">The element type matching the array's dtype.</typeparam>
    /// <param name="region">A box inside the array.</param>
    /// <param name="progress">Receives the fraction of chunks done, or null.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    public T[] Read<T>(Box region, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var result = GC.AllocateUninitializedArray<T>(checked((int)region.ElementCount));
        HugePages.Advise<T>(result);
        Read<T>(region, result, progress, cancellationToken);
        return result;
    }

    /// <summary>Grid indices of the chunks that <paramref name="region"/> touches, in C order.</summary>
    /// <param name="region">A box inside the array.</param>
    public IReadOnlyList<long[]> ChunksTouching(Box region)
    {
        CheckRegion(region);
        var rank = Rank;
        if (region.IsEmpty)
        {
            return [];
        }

        return GridPositions(region, new long[rank], ChunkShapeArray);
    }

    /// <summary>
    /// Positions, in C order, of the cells of a grid of <paramref name="cellShape"/> starting at
    /// <paramref name="gridOrigin"/> that the non-empty <paramref name="region"/> touches.
    /// </summary>
    private protected static List<long[]> GridPositions(Box region, long[] gridOrigin, long[] cellShape)
    {
        var rank = cellShape.Length;
        var first = new long[rank];
        var last = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            first[i] = (region.Start[i] - gridOrigin[i]) / cellShape[i];
            last[i] = (region.Start[i] + region.Size[i] - 1 - gridOrigin[i]) / cellShape[i];
        }

        var result = new List<long[]>();
        var current = (long[])first.Clone();
        while (true)
        {
            result.Add((long[])current.Clone());
            var d = rank - 1;
            while (d >= 0 && ++current[d] > last[d])
            {
                current[d] = first[d];
                d--;
            }

            if (d < 0)
            {
                return result;
            }
        }
    }

    /// <summary>Reads <paramref name="region"/> into <paramref name="destination"/> in C order.</summary>
    /// <typeparam name="T">The element type matching the array's dtype.</typeparam>
    /// <param name="region">A box inside the array.</param>
    /// <param name="destination">Exactly as many elements as the region.</param>
    /// <param name="progress">Receives the fraction of chunks done, or null.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    /// <exception cref="ZarrFormatException">A chunk is corrupt, truncated or over-long.</exception>
    public void Read<T>(Box region, Span<T> destination, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        CheckType<T>();
        ReadBytes(region, MemoryMarshal.AsBytes(destination), progress, cancellationToken);
    }

    /// <summary>Reads <paramref name="region"/> as raw little-endian element bytes in C order, whatever the dtype.</summary>
    /// <param name="region">A box inside the array.</param>
    /// <param name="destination">Exactly the region's element count times the element size.</param>
    /// <param name="progress">Receives the fraction of chunks done, or null.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    /// <exception cref="ZarrFormatException">A chunk is corrupt, truncated or over-long.</exception>
    public unsafe void ReadBytes(Box region, Span<byte> destination, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckRegion(region);
        CheckLength(region, destination.Length, nameof(destination));
        if (region.IsEmpty)
        {
            return;
        }

        fixed (byte* pinned = destination)
        {
            ReadRegion(region, (nint)pinned, progress, cancellationToken);
        }
    }

    /// <summary>Reads a checked, non-empty <paramref name="region"/> into pinned memory laid out in C order.</summary>
    /// <param name="region">A box inside the array.</param>
    /// <param name="target">The first byte of the region's destination.</param>
    /// <param name="progress">Receives the fraction of work done, or null.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    private protected virtual unsafe void ReadRegion(Box region, nint target, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ForEachInParallel(ChunksTouching(region), progress, chunkIndex =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkByteCount);
            try
            {
                var chunk = buffer.AsSpan(0, ChunkByteCount);
                DecodeChunk(chunkIndex, chunk);
                var (chunkBox, overlap) = Overlap(chunkIndex, region);
                fixed (byte* source = chunk)
                {
                    ChunkLayout.CopyBlock(source, ChunkShapeArray, Offset(overlap, chunkBox), (byte*)target, region.Size.AsSpan(), Offset(overlap, region), overlap.Size.AsSpan(), ElementSize);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }, cancellationToken);
    }

    /// <summary>Reads a three-dimensional region into a new <see cref="Volume{T}"/>.</summary>
    /// <typeparam name="T">The element type matching the array's dtype.</typeparam>
    /// <param name="region">A Z, Y, X box inside a three-dimensional array.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    public Volume<T> ReadVolume<T>(Box region, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        if (Rank != 3)
        {
            throw new InvalidOperationException($"ReadVolume needs a three-dimensional array; this one has {Rank} dimensions. Use Read with a {Rank}-dimensional box.");
        }

        var volume = new Volume<T>((int)region.Size[0], (int)region.Size[1], (int)region.Size[2]);
        try
        {
            Read(region, volume.Span, cancellationToken: cancellationToken);
            return volume;
        }
        catch
        {
            volume.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="source"/> (C order) into <paramref name="region"/>.</summary>
    /// <typeparam name="T">The element type matching the array's dtype.</typeparam>
    /// <param name="region">A box inside the array.</param>
    /// <param name="source">Exactly as many elements as the region.</param>
    /// <param name="progress">Receives the fraction of chunks done, or null.</param>
    /// <param name="cancellationToken">Stops between chunks; chunks written so far stay written.</param>
    public void Write<T>(Box region, ReadOnlySpan<T> source, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        CheckType<T>();
        WriteBytes(region, MemoryMarshal.AsBytes(source), progress, cancellationToken);
    }

    /// <summary>Writes raw little-endian element bytes (C order) into <paramref name="region"/>, whatever the dtype.</summary>
    /// <param name="region">A box inside the array.</param>
    /// <param name="source">Exactly the region's element count times the element size.</param>
    /// <param name="progress">Receives the fraction of chunks done, or null.</param>
    /// <param name="cancellationToken">Stops between chunks; chunks written so far stay written.</param>
    public unsafe void WriteBytes(Box region, ReadOnlySpan<byte> source, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckRegion(region);
        CheckLength(region, source.Length, nameof(source));
        var chunks = ChunksTouching(region);
        fixed (byte* pinned = source)
        {
            var input = (nint)pinned;
            ForEachInParallel(chunks, progress, chunkIndex =>
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkByteCount);
                try
                {
                    var chunk = buffer.AsSpan(0, ChunkByteCount);
                    var (chunkBox, overlap) = Overlap(chunkIndex, region);
                    if (!overlap.Equals(chunkBox.ClipTo(ShapeArray)))
                    {
                        DecodeChunk(chunkIndex, chunk);
                    }
                    else if (!overlap.Equals(chunkBox))
                    {
                        Fill(chunk); // an edge chunk: the part past the array's end holds the fill value
                    }

                    fixed (byte* target = chunk)
                    {
                        ChunkLayout.CopyBlock((byte*)input, region.Size.AsSpan(), Offset(overlap, region), target, ChunkShapeArray, Offset(overlap, chunkBox), overlap.Size.AsSpan(), ElementSize);
                    }

                    EncodeChunk(chunkIndex, chunk);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }, cancellationToken);
        }
    }

    /// <summary>Writes a three-dimensional volume with its voxel (0, 0, 0) at <paramref name="start"/>.</summary>
    /// <typeparam name="T">The element type matching the array's dtype.</typeparam>
    /// <param name="volume">The voxels.</param>
    /// <param name="start">Z, Y, X position in the array; null for the origin.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    public void Write<T>(Volume<T> volume, long[]? start = null, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        Write<T>(new Box(start ?? [0, 0, 0], volume.Shape), volume.Span, cancellationToken: cancellationToken);
    }

    /// <summary>Runs <paramref name="body"/> on every item in parallel, reporting the fraction done; the first failure is rethrown unwrapped.</summary>
    private protected void ForEachInParallel<TItem>(IReadOnlyList<TItem> chunks, IProgress<double>? progress, Action<TItem> body, CancellationToken cancellationToken)
    {
        var done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, MaxDegreeOfParallelism), CancellationToken = cancellationToken };
        try
        {
            Parallel.ForEach(chunks, options, chunkIndex =>
            {
                body(chunkIndex);
                var finished = Interlocked.Increment(ref done);
                progress?.Report((double)finished / chunks.Count);
            });
        }
        catch (AggregateException exception)
        {
            // Report the first failing chunk as itself (ZarrFormatException, IOException, …), not wrapped.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(exception.Flatten().InnerExceptions[0]).Throw();
        }
    }

    /// <summary>Sets every element of <paramref name="chunk"/> to the fill value.</summary>
    /// <param name="chunk">A chunk buffer.</param>
    protected void Fill(Span<byte> chunk)
    {
        if (fillBytes.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            chunk.Clear();
            return;
        }

        for (var offset = 0; offset < chunk.Length; offset += fillBytes.Length)
        {
            fillBytes.CopyTo(chunk[offset..]);
        }
    }

    /// <summary>The box of the chunk at <paramref name="chunkIndex"/> and its intersection with <paramref name="region"/>.</summary>
    private protected (Box Chunk, Box Overlap) Overlap(long[] chunkIndex, Box region)
    {
        var start = new long[chunkIndex.Length];
        for (var i = 0; i < start.Length; i++)
        {
            start[i] = chunkIndex[i] * ChunkShapeArray[i];
        }

        var chunkBox = new Box(start, ChunkShapeArray);
        return (chunkBox, chunkBox.Intersect(region));
    }

    /// <summary>The start of <paramref name="inner"/> relative to the start of <paramref name="outer"/>.</summary>
    private protected static long[] Offset(Box inner, Box outer)
    {
        var offset = new long[inner.Rank];
        for (var i = 0; i < offset.Length; i++)
        {
            offset[i] = inner.Start[i] - outer.Start[i];
        }

        return offset;
    }

    private void CheckLength(Box region, int byteCount, string parameter)
    {
        if (byteCount != region.ElementCount * ElementSize)
        {
            throw new ArgumentException($"{region} holds {region.ElementCount} elements of {ElementSize} bytes, but {byteCount} bytes were given.", parameter);
        }
    }

    private void CheckRegion(Box region)
    {
        if (region.Rank != Rank || !Bounds.Contains(region))
        {
            throw new ArgumentOutOfRangeException(nameof(region), $"{region} does not lie inside the array of shape [{string.Join(", ", ShapeArray)}].");
        }
    }
}
