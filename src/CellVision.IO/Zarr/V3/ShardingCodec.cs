using System.Buffers.Binary;
using System.Text.Json.Nodes;

namespace CellVision.IO.Zarr.V3;

/// <summary>
/// The <c>sharding_indexed</c> codec: a shard holds encoded inner chunks plus an index of (offset, length) uint64 pairs
/// per inner chunk (2^64−1 for an empty one), encoded with its own codecs and placed at the start or end.
/// </summary>
internal sealed class ShardingCodec
{
    private const ulong Empty = ulong.MaxValue;

    private ShardingCodec(long[] shardShape, long[] innerShape, ZarrV3Pipeline inner, ZarrV3Pipeline indexPipeline, bool indexAtEnd, bool indexHasCrc)
    {
        ShardShape = shardShape;
        InnerShape = innerShape;
        Inner = inner;
        IndexPipeline = indexPipeline;
        IndexAtEnd = indexAtEnd;
        IndexHasCrc = indexHasCrc;
        ChunksPerShard = shardShape.Select((s, i) => s / innerShape[i]).ToArray();
        InnerCount = (int)ChunksPerShard.Aggregate(1L, (a, b) => a * b);
    }

    internal long[] ShardShape { get; }

    internal long[] InnerShape { get; }

    internal ZarrV3Pipeline Inner { get; }

    internal ZarrV3Pipeline IndexPipeline { get; }

    internal bool IndexAtEnd { get; }

    internal bool IndexHasCrc { get; }

    internal long[] ChunksPerShard { get; }

    internal int InnerCount { get; }

    private int IndexLength => (InnerCount * 16) + (IndexHasCrc ? 4 : 0);

    internal static ShardingCodec Parse(JsonObject configuration, long[] shardShape, ZarrDataType type, string path, string field)
    {
        if (configuration["chunk_shape"] is not JsonArray shapeJson || shapeJson.Count != shardShape.Length)
        {
            throw new ZarrFormatException(path, $"{field}.chunk_shape", $"must list {shardShape.Length} inner chunk sizes.");
        }

        var innerShape = shapeJson.Select(v => v!.GetValue<long>()).ToArray();
        for (var i = 0; i < innerShape.Length; i++)
        {
            if (innerShape[i] < 1 || shardShape[i] % innerShape[i] != 0)
            {
                throw new ZarrFormatException(path, $"{field}.chunk_shape", $"[{string.Join(", ", innerShape)}] must divide the shard shape [{string.Join(", ", shardShape)}] exactly.");
            }
        }

        var inner = ZarrV3Pipeline.Parse(configuration["codecs"] as JsonArray ?? [new JsonObject { ["name"] = "bytes", ["configuration"] = new JsonObject { ["endian"] = "little" } }], innerShape, type, path, $"{field}.codecs");
        var chunksPerShard = shardShape.Select((s, i) => s / innerShape[i]).ToArray();
        var indexCodecs = configuration["index_codecs"] as JsonArray ?? [new JsonObject { ["name"] = "bytes", ["configuration"] = new JsonObject { ["endian"] = "little" } }, new JsonObject { ["name"] = "crc32c" }];
        var hasCrc = indexCodecs.Any(c => ZarrV3Pipeline.NameAndConfiguration(c, path, $"{field}.index_codecs").Name == "crc32c");
        var indexPipeline = ZarrV3Pipeline.Parse(indexCodecs, [.. chunksPerShard, 2], new ZarrDataType(ZarrElementKind.UInt, 8), path, $"{field}.index_codecs");
        if (indexPipeline.Sharding is not null || indexCodecs.Any(c => ZarrV3Pipeline.NameAndConfiguration(c, path, field).Name is "gzip" or "zstd" or "blosc"))
        {
            throw new ZarrFormatException(path, $"{field}.index_codecs", "must be fixed-size (bytes and crc32c only).");
        }

        var location = configuration["index_location"]?.GetValue<string>() ?? "end";
        if (location is not ("end" or "start"))
        {
            throw new ZarrFormatException(path, $"{field}.index_location", $"is \"{location}\"; expected \"start\" or \"end\".");
        }

        return new ShardingCodec(shardShape, innerShape, inner, indexPipeline, location == "end", hasCrc);
    }

    internal unsafe void Decode(byte[] shard, Span<byte> target, Action<Span<byte>> fill)
    {
        if (shard.Length < IndexLength)
        {
            throw new InvalidDataException($"The shard has {shard.Length} bytes, fewer than its {IndexLength}-byte index (truncated shard).");
        }

        var indexBytes = IndexAtEnd ? shard.AsSpan(shard.Length - IndexLength) : shard.AsSpan(0, IndexLength);
        var index = new byte[InnerCount * 16];
        IndexPipeline.Decode(indexBytes.ToArray(), index, _ => { });
        var innerBytes = Inner.ChunkBytes;
        var buffer = new byte[innerBytes];
        var elementSize = Inner.Type.Size;
        var innerPosition = new long[ShardShape.Length];
        fixed (byte* destination = target)
        {
            for (var n = 0; n < InnerCount; n++)
            {
                var offset = BinaryPrimitives.ReadUInt64LittleEndian(index.AsSpan(n * 16));
                var length = BinaryPrimitives.ReadUInt64LittleEndian(index.AsSpan((n * 16) + 8));
                if (offset == Empty && length == Empty)
                {
                    fill(buffer);
                }
                else if (offset > (ulong)shard.Length || length > (ulong)shard.Length - offset)
                {
                    throw new InvalidDataException($"Inner chunk {n} lies at bytes {offset}..{offset + length}, past the end of the {shard.Length}-byte shard.");
                }
                else
                {
                    Inner.Decode(shard.AsSpan((int)offset, (int)length).ToArray(), buffer, fill);
                }

                Position(n, innerPosition);
                fixed (byte* source = buffer)
                {
                    ChunkLayout.CopyBlock(source, InnerShape, new long[InnerShape.Length], destination, ShardShape, innerPosition, InnerShape, elementSize);
                }
            }
        }
    }

    internal unsafe byte[] Encode(byte[] shard)
    {
        var elementSize = Inner.Type.Size;
        var innerBytes = Inner.ChunkBytes;
        var buffer = new byte[innerBytes];
        var parts = new List<byte[]>();
        var index = new byte[InnerCount * 16];
        long offset = IndexAtEnd ? 0 : IndexLength;
        var innerPosition = new long[ShardShape.Length];
        fixed (byte* source = shard)
        {
            for (var n = 0; n < InnerCount; n++)
            {
                Position(n, innerPosition);
                fixed (byte* destination = buffer)
                {
                    ChunkLayout.CopyBlock(source, ShardShape, innerPosition, destination, InnerShape, new long[InnerShape.Length], InnerShape, elementSize);
                }

                var encoded = Inner.Encode(buffer);
                BinaryPrimitives.WriteUInt64LittleEndian(index.AsSpan(n * 16), (ulong)offset);
                BinaryPrimitives.WriteUInt64LittleEndian(index.AsSpan((n * 16) + 8), (ulong)encoded.Length);
                parts.Add(encoded);
                offset += encoded.Length;
            }
        }

        var encodedIndex = IndexPipeline.Encode(index);
        using var output = new MemoryStream();
        if (!IndexAtEnd)
        {
            output.Write(encodedIndex);
        }

        foreach (var part in parts)
        {
            output.Write(part);
        }

        if (IndexAtEnd)
        {
            output.Write(encodedIndex);
        }

        return output.ToArray();
    }

    private void Position(int n, long[] position)
    {
        var remainder = (long)n;
        for (var d = ChunksPerShard.Length - 1; d >= 0; d--)
        {
            position[d] = remainder % ChunksPerShard[d] * InnerShape[d];
            remainder /= ChunksPerShard[d];
        }
    }
}
