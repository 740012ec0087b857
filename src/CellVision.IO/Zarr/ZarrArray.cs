using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using CellVision.Core.Volumes;
using CellVision.IO.Stores;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.IO.Zarr;

/// <summary>
/// A Zarr v2 array on disk, read and written in any region, chunk by chunk in parallel. Files it writes open in
/// zarr-python, and it reads what zarr-python writes (every dtype, C and F order, zlib, gzip, zstd and blosc).
/// </summary>
/// <remarks>
/// Concurrency: reads may run in parallel with each other. Writes of regions that touch different chunks may run in
/// parallel, from threads or processes. Two writes that touch the same chunk must not overlap in time: each rewrites
/// the whole chunk, so the later one wins and a partial write can drop the other's voxels in that chunk. Chunk files
/// are replaced atomically, so a reader sees either the old or the new chunk, never a mix.
/// </remarks>
/// <example>
/// <code>
/// var array = ZarrArray.Create&lt;ushort&gt;("nuclei.zarr", shape: [64, 512, 512], chunks: [16, 128, 128], ZarrCompressor.Default);
/// array.Write(Box.FromShape(64, 512, 512), voxels);
/// ushort[] crop = ZarrArray.Open("nuclei.zarr").Read&lt;ushort&gt;(Box.FromZyx(10, 100, 100, 8, 64, 64));
/// </code>
/// </example>
public sealed class ZarrArray
{
    private const string MetadataKey = ".zarray";
    private const string AttributesKey = ".zattrs";
    private readonly byte[] fillBytes;

    private ZarrArray(DirectoryStore store, ZarrArrayMetadata metadata)
    {
        Store = store;
        Metadata = metadata;
        fillBytes = ZarrFillValue.ToBytes(metadata.FillValue, metadata.DataType, store.PathOf(MetadataKey));
        ChunkElementCount = metadata.Chunks.Aggregate(1L, (a, b) => a * b);
        if (ChunkElementCount * metadata.DataType.Size > Array.MaxLength)
        {
            throw new ZarrFormatException(store.PathOf(MetadataKey), "chunks", $"describe chunks of {ChunkElementCount * metadata.DataType.Size} bytes; at most {Array.MaxLength} are supported.");
        }
    }

    /// <summary>The folder holding the array.</summary>
    public DirectoryStore Store { get; }

    /// <summary>The array's metadata.</summary>
    public ZarrArrayMetadata Metadata { get; }

    /// <summary>Extent of each dimension.</summary>
    public IReadOnlyList<long> Shape => Metadata.Shape;

    /// <summary>The whole array as a box.</summary>
    public Box Bounds => Box.FromShape(Metadata.Shape);

    /// <summary>Threads used to decode or encode chunks (default: all cores).</summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    private long ChunkElementCount { get; }

    private int ChunkByteCount => (int)(ChunkElementCount * Metadata.DataType.Size);

    /// <summary>Opens the array at <paramref name="path"/>.</summary>
    /// <param name="path">The array's folder (holding <c>.zarray</c>).</param>
    /// <exception cref="FileNotFoundException">There is no <c>.zarray</c>.</exception>
    /// <exception cref="ZarrFormatException">The metadata is invalid or unsupported.</exception>
    public static ZarrArray Open(string path)
    {
        var store = new DirectoryStore(path);
        var json = store.ReadText(MetadataKey)
            ?? throw new FileNotFoundException($"{store.PathOf(MetadataKey)} does not exist: '{path}' is not a Zarr v2 array.", store.PathOf(MetadataKey));
        return new ZarrArray(store, ZarrArrayMetadata.Parse(json, store.PathOf(MetadataKey)));
    }

    /// <summary>Creates an array (metadata only; chunks are written by the Write methods).</summary>
    /// <param name="path">The folder to create.</param>
    /// <param name="metadata">Shape, chunks, type, compressor, fill value and layout.</param>
    /// <param name="overwrite">Replace an existing array's metadata (its chunks stay unless overwritten).</param>
    /// <exception cref="IOException">An array exists and <paramref name="overwrite"/> is false.</exception>
    public static ZarrArray Create(string path, ZarrArrayMetadata metadata, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var store = new DirectoryStore(path);
        if (!overwrite && store.Contains(MetadataKey))
        {
            throw new IOException($"{store.PathOf(MetadataKey)} already exists; pass overwrite: true to replace it.");
        }

        var text = metadata.ToJson();
        var array = new ZarrArray(store, ZarrArrayMetadata.Parse(text, store.PathOf(MetadataKey)));
        store.WriteText(MetadataKey, text);
        return array;
    }

    /// <summary>Creates an array of <typeparamref name="T"/> elements.</summary>
    /// <typeparam name="T">bool, byte, sbyte, ushort, short, uint, int, ulong, long, Half, float or double.</typeparam>
    /// <param name="path">The folder to create.</param>
    /// <param name="shape">Extent of each dimension.</param>
    /// <param name="chunks">Chunk extent of each dimension.</param>
    /// <param name="compressor">Compressor, or null for raw chunks. <see cref="ZarrCompressor.Default"/> is zarr-python 2's default (Blosc LZ4 level 5, byte shuffle).</param>
    /// <param name="fillValue">Value of voxels never written (default 0).</param>
    /// <param name="order">Element order inside chunks (default C).</param>
    /// <param name="dimensionSeparator">'.' (default) or '/'.</param>
    /// <param name="overwrite">Replace an existing array's metadata.</param>
    public static ZarrArray Create<T>(string path, long[] shape, long[] chunks, ZarrCompressor? compressor = null, double? fillValue = 0, ZarrOrder order = ZarrOrder.C, char dimensionSeparator = '.', bool overwrite = false)
        where T : unmanaged
    {
        var type = ZarrDataType.Of<T>();
        return Create(path, new ZarrArrayMetadata
        {
            Shape = shape,
            Chunks = chunks,
            DataType = type,
            Compressor = compressor,
            FillValue = ZarrFillValue.ToJson(fillValue, type),
            Order = order,
            DimensionSeparator = dimensionSeparator,
        }, overwrite);
    }

    /// <summary>The user attributes (<c>.zattrs</c>), or an empty object.</summary>
    /// <exception cref="ZarrFormatException">The attributes file is not a JSON object.</exception>
    public JsonObject ReadAttributes()
    {
        var text = Store.ReadText(AttributesKey);
        if (text is null)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new ZarrFormatException(Store.PathOf(AttributesKey), "(root)", "is not a JSON object.");
        }
        catch (JsonException exception)
        {
            throw new ZarrFormatException(Store.PathOf(AttributesKey), "(json)", $"is malformed JSON: {exception.Message}", exception);
        }
    }

    /// <summary>Replaces the user attributes (<c>.zattrs</c>).</summary>
    /// <param name="attributes">The attributes.</param>
    public void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        Store.WriteText(AttributesKey, attributes.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The store key of the chunk with grid index <paramref name="chunkIndex"/> ("0.4.1", or "0/4/1").</summary>
    /// <param name="chunkIndex">Chunk position along each dimension.</param>
    public string ChunkKey(ReadOnlySpan<long> chunkIndex) =>
        chunkIndex.Length == 0 ? "0" : string.Join(Metadata.DimensionSeparator, chunkIndex.ToArray());

    /// <summary>Grid indices of the chunks that <paramref name="region"/> touches, in C order.</summary>
    /// <param name="region">A box inside the array.</param>
    public IReadOnlyList<long[]> ChunksTouching(Box region)
    {
        CheckRegion(region);
        var rank = Metadata.Rank;
        if (region.IsEmpty)
        {
            return [];
        }

        var first = new long[rank];
        var last = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            first[i] = region.Start[i] / Metadata.Chunks[i];
            last[i] = (region.Start[i] + region.Size[i] - 1) / Metadata.Chunks[i];
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

    /// <summary>Reads <paramref name="region"/> into a new array in C order.</summary>
    /// <typeparam name="T">The element type matching the array's dtype.</typeparam>
    /// <param name="region">A box inside the array.</param>
    /// <param name="progress">Receives the fraction of chunks done, or null.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    public T[] Read<T>(Box region, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var result = GC.AllocateUninitializedArray<T>(checked((int)region.ElementCount));
        Read<T>(region, result, progress, cancellationToken);
        return result;
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
        var chunks = ChunksTouching(region);
        fixed (byte* pinned = destination)
        {
            var target = (nint)pinned;
            ForEachChunk(chunks, progress, cancellationToken, chunkIndex =>
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkByteCount);
                try
                {
                    var chunk = buffer.AsSpan(0, ChunkByteCount);
                    DecodeChunk(chunkIndex, chunk);
                    var (chunkBox, overlap) = Overlap(chunkIndex, region);
                    fixed (byte* source = chunk)
                    {
                        ChunkLayout.CopyBlock(source, Metadata.Chunks, Offset(overlap, chunkBox), (byte*)target, region.Size.AsSpan(), Offset(overlap, region), overlap.Size.AsSpan(), Metadata.DataType.Size);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            });
        }
    }

    /// <summary>Reads a three-dimensional region into a new <see cref="Volume{T}"/>.</summary>
    /// <typeparam name="T">The element type matching the array's dtype.</typeparam>
    /// <param name="region">A Z, Y, X box inside a three-dimensional array.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    public Volume<T> ReadVolume<T>(Box region, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        if (Metadata.Rank != 3)
        {
            throw new InvalidOperationException($"ReadVolume needs a three-dimensional array; this one has {Metadata.Rank} dimensions. Use Read with a {Metadata.Rank}-dimensional box.");
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
            ForEachChunk(chunks, progress, cancellationToken, chunkIndex =>
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkByteCount);
                try
                {
                    var chunk = buffer.AsSpan(0, ChunkByteCount);
                    var (chunkBox, overlap) = Overlap(chunkIndex, region);
                    if (!overlap.Equals(chunkBox.ClipTo(Metadata.Shape)))
                    {
                        DecodeChunk(chunkIndex, chunk);
                    }
                    else if (!overlap.Equals(chunkBox))
                    {
                        Fill(chunk); // an edge chunk: the part past the array's end holds the fill value
                    }

                    fixed (byte* target = chunk)
                    {
                        ChunkLayout.CopyBlock((byte*)input, region.Size.AsSpan(), Offset(overlap, region), target, Metadata.Chunks, Offset(overlap, chunkBox), overlap.Size.AsSpan(), Metadata.DataType.Size);
                    }

                    EncodeChunk(chunkIndex, chunk);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            });
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

    private void ForEachChunk(IReadOnlyList<long[]> chunks, IProgress<double>? progress, CancellationToken cancellationToken, Action<long[]> body)
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

    private void DecodeChunk(long[] chunkIndex, Span<byte> chunk)
    {
        var key = ChunkKey(chunkIndex);
        if (Metadata.Compressor is null)
        {
            if (!Store.TryReadExactly(key, chunk, out var rawLength))
            {
                Fill(chunk);
                return;
            }

            if (rawLength != chunk.Length)
            {
                throw new ZarrFormatException(Store.PathOf(key), key, $"cannot be decoded: the raw chunk has {rawLength} bytes but a chunk holds {chunk.Length} ({(rawLength < chunk.Length ? "truncated" : "over-long")} chunk).");
            }

            Reorder(chunk);
            return;
        }

        // A stored chunk may be larger than the raw chunk only by a codec's overhead; anything far larger is refused
        // unread (a corrupt or hostile file), and compressed data are decoded into exactly one chunk.
        var limit = (int)Math.Min(Array.MaxLength, ((long)chunk.Length * 2) + 4096);
        if (!Store.TryReadPooled(key, limit, out var stored, out var length))
        {
            Fill(chunk);
            return;
        }

        try
        {
            if (stored is null)
            {
                throw new InvalidDataException($"The stored chunk has {length} bytes, far more than the {chunk.Length} bytes of a chunk (over-long chunk).");
            }

            Metadata.Compressor.Decode(stored.AsSpan(0, (int)length), chunk);
        }
        catch (Exception exception) when (exception is InvalidDataException or DllNotFoundException)
        {
            throw new ZarrFormatException(Store.PathOf(key), key, $"cannot be decoded: {exception.Message}", exception);
        }
        finally
        {
            if (stored is not null)
            {
                ArrayPool<byte>.Shared.Return(stored);
            }
        }

        Reorder(chunk);
    }

    /// <summary>Turns stored element bytes into little-endian C order.</summary>
    private void Reorder(Span<byte> chunk)
    {
        if (Metadata.DataType.BigEndian)
        {
            Metadata.DataType.SwapBytes(chunk);
        }

        if (Metadata.Order == ZarrOrder.F && Metadata.Rank > 1)
        {
            var copy = chunk.ToArray();
            ChunkLayout.Transpose(copy, chunk, Metadata.Chunks, Metadata.DataType.Size, fortranToC: true);
        }
    }

    private void EncodeChunk(long[] chunkIndex, Span<byte> chunk)
    {
        byte[]? reordered = null;
        if (Metadata.Order == ZarrOrder.F && Metadata.Rank > 1)
        {
            reordered = new byte[chunk.Length];
            ChunkLayout.Transpose(chunk, reordered, Metadata.Chunks, Metadata.DataType.Size, fortranToC: false);
            chunk = reordered;
        }

        if (Metadata.DataType.BigEndian)
        {
            Metadata.DataType.SwapBytes(chunk);
        }

        var key = ChunkKey(chunkIndex);
        if (Metadata.Compressor is null)
        {
            Store.Write(key, chunk);
            return;
        }

        var length = Metadata.Compressor.EncodePooled(chunk, Metadata.DataType.Size, out var pooled);
        try
        {
            Store.Write(key, pooled.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }

    private void Fill(Span<byte> chunk)
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

    private (Box Chunk, Box Overlap) Overlap(long[] chunkIndex, Box region)
    {
        var start = new long[chunkIndex.Length];
        for (var i = 0; i < start.Length; i++)
        {
            start[i] = chunkIndex[i] * Metadata.Chunks[i];
        }

        var chunkBox = new Box(start, Metadata.Chunks);
        return (chunkBox, chunkBox.Intersect(region));
    }

    private static long[] Offset(Box inner, Box outer)
    {
        var offset = new long[inner.Rank];
        for (var i = 0; i < offset.Length; i++)
        {
            offset[i] = inner.Start[i] - outer.Start[i];
        }

        return offset;
    }

    private void CheckType<T>()
        where T : unmanaged
    {
        if (!Metadata.DataType.Matches<T>())
        {
            throw new ArgumentException($"The array at {Store.Root} holds {Metadata.DataType} elements; {typeof(T).Name} does not match.");
        }
    }

    private void CheckLength(Box region, int byteCount, string parameter)
    {
        if (byteCount != region.ElementCount * Metadata.DataType.Size)
        {
            throw new ArgumentException($"{region} holds {region.ElementCount} elements of {Metadata.DataType.Size} bytes, but {byteCount} bytes were given.", parameter);
        }
    }

    private void CheckRegion(Box region)
    {
        if (region.Rank != Metadata.Rank || !Bounds.Contains(region))
        {
            throw new ArgumentOutOfRangeException(nameof(region), $"{region} does not lie inside the array of shape [{string.Join(", ", Metadata.Shape)}].");
        }
    }
}
