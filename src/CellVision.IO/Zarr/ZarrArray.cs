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
/// <remarks>Concurrency rules are those of <see cref="ChunkedArray"/>.</remarks>
/// <example>
/// <code>
/// var array = ZarrArray.Create&lt;ushort&gt;("nuclei.zarr", shape: [64, 512, 512], chunks: [16, 128, 128], ZarrCompressor.Default);
/// array.Write(Box.FromShape(64, 512, 512), voxels);
/// ushort[] crop = ZarrArray.Open("nuclei.zarr").Read&lt;ushort&gt;(Box.FromZyx(10, 100, 100, 8, 64, 64));
/// </code>
/// </example>
public sealed class ZarrArray : ChunkedArray
{
    private const string MetadataKey = ".zarray";
    private const string AttributesKey = ".zattrs";
    private ZarrArray(DirectoryStore store, ZarrArrayMetadata metadata)
        : base(metadata.Shape, metadata.Chunks, metadata.DataType.Size, ZarrFillValue.ToBytes(metadata.FillValue, metadata.DataType, store.PathOf(MetadataKey)), store.PathOf(MetadataKey))
    {
        Store = store;
        Metadata = metadata;
    }

    /// <summary>The folder holding the array.</summary>
    public DirectoryStore Store { get; }

    /// <summary>The array's metadata.</summary>
    public ZarrArrayMetadata Metadata { get; }

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
    public JsonObject ReadAttributes() => ZarrJson.TryRead(Store, AttributesKey) ?? [];

    /// <summary>Replaces the user attributes (<c>.zattrs</c>).</summary>
    /// <param name="attributes">The attributes.</param>
    public void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ZarrJson.Write(Store, AttributesKey, attributes);
    }

    /// <summary>The store key of the chunk with grid index <paramref name="chunkIndex"/> ("0.4.1", or "0/4/1").</summary>
    /// <param name="chunkIndex">Chunk position along each dimension.</param>
    public string ChunkKey(ReadOnlySpan<long> chunkIndex) =>
        chunkIndex.Length == 0 ? "0" : string.Join(Metadata.DimensionSeparator, chunkIndex.ToArray());

    /// <inheritdoc />
    private protected override void DecodeChunk(long[] chunkIndex, Span<byte> chunk)
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

    /// <inheritdoc />
    private protected override void EncodeChunk(long[] chunkIndex, Span<byte> chunk)
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

    /// <inheritdoc />
    private protected override void CheckType<T>()
    {
        if (!Metadata.DataType.Matches<T>())
        {
            throw new ArgumentException($"The array at {Store.Root} holds {Metadata.DataType} elements; {typeof(T).Name} does not match.");
        }
    }
}
