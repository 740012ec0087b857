using System.Text.Json;
using System.Text.Json.Nodes;
using CellVision.Core.Volumes;
using CellVision.IO.Stores;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.IO.Zarr.V3;

/// <summary>
/// A Zarr v3 array (<c>zarr.json</c>): regular chunk grid, default or v2 chunk-key encoding, codecs transpose, bytes
/// (either endianness), gzip, zstd, blosc, crc32c and <c>sharding_indexed</c> (index at start or end). Region reads and
/// writes work as for v2 (<see cref="ChunkedArray"/>); for sharded arrays the unit read and written is the shard.
/// </summary>
public sealed class ZarrV3Array : ChunkedArray
{
    private const string MetadataKey = "zarr.json";
    private readonly ZarrV3Pipeline pipeline;
    private readonly string chunkKeyEncoding;
    private readonly char separator;

    private ZarrV3Array(DirectoryStore store, JsonObject metadata, long[] shape, long[] chunkShape, ZarrDataType type, byte[] fill, ZarrV3Pipeline pipeline, string chunkKeyEncoding, char separator)
        : base(shape, chunkShape, type.Size, fill, store.PathOf(MetadataKey))
    {
        Store = store;
        Metadata = metadata;
        DataType = type;
        this.pipeline = pipeline;
        this.chunkKeyEncoding = chunkKeyEncoding;
        this.separator = separator;
    }

    /// <summary>The array's folder.</summary>
    public DirectoryStore Store { get; }

    /// <summary>The parsed <c>zarr.json</c>.</summary>
    public JsonObject Metadata { get; }

    /// <summary>The element type (the byte order on disk is the bytes codec's).</summary>
    public ZarrDataType DataType { get; }

    /// <summary>Whether the array is sharded.</summary>
    public bool IsSharded => pipeline.Sharding is not null;

    /// <summary>The array's attributes.</summary>
    public JsonObject Attributes => Metadata["attributes"] as JsonObject ?? [];

    /// <summary>Opens the v3 array at <paramref name="path"/>.</summary>
    /// <param name="path">The array's folder (holding <c>zarr.json</c>).</param>
    /// <exception cref="FileNotFoundException">There is no <c>zarr.json</c>.</exception>
    /// <exception cref="ZarrFormatException">The metadata is invalid, unsupported, or names an extension that must be understood.</exception>
    public static ZarrV3Array Open(string path)
    {
        var store = new DirectoryStore(path);
        var file = store.PathOf(MetadataKey);
        var root = ZarrJson.TryRead(store, MetadataKey) ?? throw new FileNotFoundException($"{file} does not exist: '{path}' is not a Zarr v3 node.", file);

        if (root["zarr_format"]?.ToJsonString() != "3")
        {
            throw new ZarrFormatException(file, "zarr_format", "must be 3.");
        }

        if (root["node_type"]?.GetValue<string>() != "array")
        {
            throw new ZarrFormatException(file, "node_type", "is not \"array\".");
        }

        foreach (var (key, value) in root)
        {
            if (key is not ("zarr_format" or "node_type" or "shape" or "data_type" or "chunk_grid" or "chunk_key_encoding" or "fill_value" or "codecs" or "attributes" or "dimension_names" or "storage_transformers")
                && !(value is JsonObject extension && extension["must_understand"]?.ToJsonString() == "false"))
            {
                throw new ZarrFormatException(file, key, "is an extension CellVision does not understand (and it does not say must_understand: false).");
            }
        }

        if (root["storage_transformers"] is JsonArray { Count: > 0 })
        {
            throw new ZarrFormatException(file, "storage_transformers", "are not supported.");
        }

        var shape = Longs(root["shape"], file, "shape", allowZero: true);
        var dataTypeName = root["data_type"]?.GetValueKind() == JsonValueKind.String ? root["data_type"]!.GetValue<string>() : root["data_type"]?.ToJsonString();
        if (!ZarrDataType.TryParseV3Name(dataTypeName, out var type))
        {
            throw new ZarrFormatException(file, "data_type", $"is {root["data_type"]?.ToJsonString() ?? "missing"}, which is not supported (bool, int8…int64, uint8…uint64, float16/32/64).");
        }

        if (root["chunk_grid"] is not JsonObject grid || grid["name"]?.GetValue<string>() != "regular")
        {
            throw new ZarrFormatException(file, "chunk_grid", "must be a regular grid.");
        }

        var chunkShape = Longs(grid["configuration"]?["chunk_shape"], file, "chunk_grid.configuration.chunk_shape", allowZero: false);
        if (chunkShape.Length != shape.Length)
        {
            throw new ZarrFormatException(file, "chunk_grid.configuration.chunk_shape", $"has {chunkShape.Length} dimensions but shape has {shape.Length}.");
        }

        var encoding = root["chunk_key_encoding"] as JsonObject;
        var encodingName = encoding?["name"]?.GetValue<string>() ?? "default";
        if (encodingName is not ("default" or "v2"))
        {
            throw new ZarrFormatException(file, "chunk_key_encoding.name", $"is \"{encodingName}\"; expected default or v2.");
        }

        var separatorText = encoding?["configuration"]?["separator"]?.GetValue<string>() ?? (encodingName == "default" ? "/" : ".");
        if (separatorText is not ("/" or "."))
        {
            throw new ZarrFormatException(file, "chunk_key_encoding.configuration.separator", $"is \"{separatorText}\"; expected \"/\" or \".\".");
        }

        var codecs = root["codecs"] as JsonArray ?? throw new ZarrFormatException(file, "codecs", "is missing.");
        var pipeline = ZarrV3Pipeline.Parse(codecs, chunkShape, type, file, "codecs");
        var fill = ZarrFillValue.ToBytes(root["fill_value"], type, file);
        return new ZarrV3Array(store, root, shape, chunkShape, type, fill, pipeline, encodingName, separatorText[0]);
    }

    /// <summary>Creates a v3 array (metadata only).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="path">The folder to create.</param>
    /// <param name="shape">Array extent.</param>
    /// <param name="chunks">Chunk extent; with <paramref name="innerChunks"/> this is the shard extent.</param>
    /// <param name="compressor">gzip, zstd or blosc, or null for none.</param>
    /// <param name="innerChunks">Inner chunk extent for a sharded array (must divide <paramref name="chunks"/>), or null.</param>
    /// <param name="indexAtEnd">Place the shard index at the end (default, as the spec recommends) or the start.</param>
    /// <param name="fillValue">Value of voxels never written.</param>
    /// <param name="bigEndian">Store elements big-endian.</param>
    /// <param name="dimensionNames">Axis names (OME-Zarr 0.5 requires them), or null.</param>
    /// <param name="overwrite">Replace existing metadata.</param>
    public static ZarrV3Array Create<T>(string path, long[] shape, long[] chunks, ZarrCompressor? compressor = null, long[]? innerChunks = null, bool indexAtEnd = true, double fillValue = 0, bool bigEndian = false, IReadOnlyList<string>? dimensionNames = null, bool overwrite = false)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(chunks);
        var type = ZarrDataType.Of<T>();
        var store = new DirectoryStore(path);
        if (!overwrite && store.Contains(MetadataKey))
        {
            throw new IOException($"{store.PathOf(MetadataKey)} already exists; pass overwrite: true to replace it.");
        }

        JsonArray codecs;
        if (innerChunks is null)
        {
            codecs = ZarrV3Pipeline.ToJson(bigEndian, compressor, type.Size, crc32c: false);
        }
        else
        {
            codecs = new JsonArray(new JsonObject
            {
                ["name"] = "sharding_indexed",
                ["configuration"] = new JsonObject
                {
                    ["chunk_shape"] = new JsonArray(innerChunks.Select(c => (JsonNode?)c).ToArray()),
                    ["codecs"] = ZarrV3Pipeline.ToJson(bigEndian, compressor, type.Size, crc32c: false),
                    ["index_codecs"] = ZarrV3Pipeline.ToJson(bigEndian: false, compressor: null, 8, crc32c: true),
                    ["index_location"] = indexAtEnd ? "end" : "start",
                },
            });
        }

        var root = new JsonObject
        {
            ["zarr_format"] = 3,
            ["node_type"] = "array",
            ["shape"] = new JsonArray(shape.Select(s => (JsonNode?)s).ToArray()),
            ["data_type"] = type.V3Name,
            ["chunk_grid"] = new JsonObject { ["name"] = "regular", ["configuration"] = new JsonObject { ["chunk_shape"] = new JsonArray(chunks.Select(c => (JsonNode?)c).ToArray()) } },
            ["chunk_key_encoding"] = new JsonObject { ["name"] = "default", ["configuration"] = new JsonObject { ["separator"] = "/" } },
            ["fill_value"] = ZarrFillValue.ToJson(fillValue, type),
            ["codecs"] = codecs,
            ["attributes"] = new JsonObject(),
        };
        if (dimensionNames is not null)
        {
            root["dimension_names"] = new JsonArray(dimensionNames.Select(n => (JsonNode?)n).ToArray());
        }

        ZarrJson.Write(store, MetadataKey, root);
        return Open(path);
    }

    /// <summary>Replaces the array's attributes in <c>zarr.json</c>.</summary>
    /// <param name="attributes">The attributes.</param>
    public void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        Metadata["attributes"] = attributes.DeepClone();
        ZarrJson.Write(Store, MetadataKey, Metadata);
    }

    /// <summary>The store key of the chunk (or shard) at <paramref name="chunkIndex"/>: "c/0/4/1" by default.</summary>
    /// <param name="chunkIndex">Grid position.</param>
    public string ChunkKey(ReadOnlySpan<long> chunkIndex)
    {
        var indices = string.Join(separator, chunkIndex.ToArray());
        return chunkKeyEncoding == "default"
            ? (chunkIndex.Length == 0 ? "c" : $"c{separator}{indices}")
            : (chunkIndex.Length == 0 ? "0" : indices);
    }

    /// <inheritdoc />
    private protected override void DecodeChunk(long[] chunkIndex, Span<byte> chunk)
    {
        var key = ChunkKey(chunkIndex);
        var stored = Store.Read(key);
        if (stored is null)
        {
            Fill(chunk);
            return;
        }

        try
        {
            pipeline.Decode(stored, chunk, Fill);
        }
        catch (Exception exception) when (exception is InvalidDataException or DllNotFoundException)
        {
            throw new ZarrFormatException(Store.PathOf(key), key, $"cannot be decoded: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// For a sharded array whose shards are stored as they are (the usual case), each shard's index is read, then only
    /// the inner chunks the region touches are read from their byte ranges and decoded, in parallel; a small region
    /// of a large shard costs one inner chunk, not the shard.
    /// </remarks>
    private protected override unsafe void ReadRegion(Box region, nint target, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        if (!pipeline.ReadsInnerChunksSeparately)
        {
            base.ReadRegion(region, target, progress, cancellationToken);
            return;
        }

        var sharding = pipeline.Sharding!;
        var innerShape = sharding.InnerShape;
        var innerBytes = sharding.Inner.ChunkBytes;
        ForEachInParallel(ChunksTouching(region), progress, shardIndex =>
        {
            var key = ChunkKey(shardIndex);
            var (shardBox, overlap) = Overlap(shardIndex, region);
            using var handle = Store.OpenRead(key);
            try
            {
                var entries = handle is null ? null : sharding.ReadIndex(handle, RandomAccess.GetLength(handle));
                var inner = GridPositions(overlap, [.. shardBox.Start], innerShape);
                var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, MaxDegreeOfParallelism), CancellationToken = cancellationToken };
                Parallel.ForEach(inner, options, position =>
                {
                    var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(innerBytes);
                    try
                    {
                        var chunk = buffer.AsSpan(0, innerBytes);
                        if (entries is null)
                        {
                            Fill(chunk);
                        }
                        else
                        {
                            sharding.ReadInner(handle!, entries, sharding.InnerNumber(position), chunk, Fill);
                        }

                        var innerStart = new long[position.Length];
                        for (var d = 0; d < position.Length; d++)
                        {
                            innerStart[d] = shardBox.Start[d] + (position[d] * innerShape[d]);
                        }

                        var innerBox = new Box(innerStart, innerShape);
                        var part = innerBox.Intersect(region);
                        fixed (byte* source = chunk)
                        {
                            ChunkLayout.CopyBlock(source, innerShape, Offset(part, innerBox), (byte*)target, region.Size.AsSpan(), Offset(part, region), part.Size.AsSpan(), ElementSize);
                        }
                    }
                    finally
                    {
                        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    }
                });
            }
            catch (AggregateException exception) when (exception.Flatten().InnerExceptions[0] is InvalidDataException or DllNotFoundException)
            {
                var first = exception.Flatten().InnerExceptions[0];
                throw new ZarrFormatException(Store.PathOf(key), key, $"cannot be decoded: {first.Message}", first);
            }
            catch (Exception exception) when (exception is InvalidDataException or DllNotFoundException)
            {
                throw new ZarrFormatException(Store.PathOf(key), key, $"cannot be decoded: {exception.Message}", exception);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    private protected override void EncodeChunk(long[] chunkIndex, Span<byte> chunk) => Store.Write(ChunkKey(chunkIndex), pipeline.Encode(chunk));

    /// <inheritdoc />
    private protected override void CheckType<T>()
    {
        if (!DataType.Matches<T>())
        {
            throw new ArgumentException($"The array at {Store.Root} holds {DataType.V3Name} elements; {typeof(T).Name} does not match.");
        }
    }

    private static long[] Longs(JsonNode? node, string file, string field, bool allowZero)
    {
        if (node is not JsonArray array)
        {
            throw new ZarrFormatException(file, field, "must be an array of integers.");
        }

        return array.Select((v, i) => v is JsonValue value && value.TryGetValue<long>(out var n) && n >= (allowZero ? 0 : 1)
            ? n
            : throw new ZarrFormatException(file, field, $"has {v?.ToJsonString() ?? "null"} at position {i}; expected an integer ≥ {(allowZero ? 0 : 1)}.")).ToArray();
    }
}
