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
        var entries = ParseIndex(IndexAtEnd ? shard.AsSpan(Math.Max(0, shard.Length - IndexLength)) : shard.AsSpan(0, Math.Min(shard.Length, IndexLength)), shard.Length);
        var innerBytes = Inner.ChunkBytes;
        var elementSize = Inner.Type.Size;
        fixed (byte* destination = target)
        {
            var pointer = (nint)destination;
            ForEachInner(innerBytes, (n, local) =>
            {
                var (offset, length) = (entries[2 * n], entries[(2 * n) + 1]);
                if (offset == Empty)
                {
                    fill(local.Buffer);
                }
                else
                {
                    Inner.Decode(shard.AsSpan((int)offset, (int)length).ToArray(), local.Buffer, fill);
                }

                Position(n, local.Position);
                fixed (byte* source = local.Buffer)
                {
                    ChunkLayout.CopyBlock(source, InnerShape, new long[InnerShape.Length], (byte*)pointer, ShardShape, local.Position, InnerShape, elementSize);
                }

            });
        }
    }

    /// <summary>Reads and checks the index of the stored shard behind <paramref name="handle"/>.</summary>
    /// <param name="handle">The shard, open for reading.</param>
    /// <param name="shardLength">The shard's length in bytes.</param>
    /// <returns>(offset, length) per inner chunk in C order; <see cref="ulong.MaxValue"/> twice for an empty one.</returns>
    /// <exception cref="InvalidDataException">The shard is truncated, its index fails its checksum, or an entry points past the end.</exception>
    internal ulong[] ReadIndex(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long shardLength)
    {
        var encoded = new byte[Math.Min(shardLength, IndexLength)];
        ReadExactly(handle, encoded, IndexAtEnd ? shardLength - encoded.Length : 0);
        return ParseIndex(encoded, shardLength);
    }

    /// <summary>Reads and decodes inner chunk <paramref name="n"/> only, from its byte range in the shard.</summary>
    /// <param name="handle">The shard, open for reading.</param>
    /// <param name="entries">The shard's index (<see cref="ReadIndex"/>).</param>
    /// <param name="n">The inner chunk's number in C order.</param>
    /// <param name="buffer">Receives the inner chunk, C order, little-endian.</param>
    /// <param name="fill">Fills a buffer with the fill value.</param>
    internal void ReadInner(Microsoft.Win32.SafeHandles.SafeFileHandle handle, ulong[] entries, int n, Span<byte> buffer, Action<Span<byte>> fill)
    {
        var (offset, length) = (entries[2 * n], entries[(2 * n) + 1]);
        if (offset == Empty)
        {
            fill(buffer);
            return;
        }

        var encoded = new byte[length];
        ReadExactly(handle, encoded, (long)offset);
        Inner.Decode(encoded, buffer, fill);
    }

    /// <summary>The number, in C order, of the inner chunk at grid position <paramref name="position"/> within its shard.</summary>
    internal int InnerNumber(ReadOnlySpan<long> position)
    {
        var n = 0L;
        for (var d = 0; d < position.Length; d++)
        {
            n = (n * ChunksPerShard[d]) + position[d];
        }

        return (int)n;
    }

    private ulong[] ParseIndex(ReadOnlySpan<byte> encodedIndex, long shardLength)
    {
        if (encodedIndex.Length < IndexLength)
        {
            throw new InvalidDataException($"The shard has {shardLength} bytes, fewer than its {IndexLength}-byte index (truncated shard).");
        }

        var index = new byte[InnerCount * 16];
        IndexPipeline.Decode(encodedIndex.ToArray(), index, _ => { });
        var entries = new ulong[InnerCount * 2];
        for (var n = 0; n < InnerCount; n++)
        {
            var offset = BinaryPrimitives.ReadUInt64LittleEndian(index.AsSpan(n * 16));
            var length = BinaryPrimitives.ReadUInt64LittleEndian(index.AsSpan((n * 16) + 8));
            if (offset == Empty && length == Empty)
            {
                // An empty inner chunk: it reads as the fill value.
            }
            else if (offset > (ulong)shardLength || length > (ulong)shardLength - offset || length > int.MaxValue)
            {
                throw new InvalidDataException($"Inner chunk {n} lies at bytes {offset}..{offset + length}, past the end of the {shardLength}-byte shard.");
            }

            entries[2 * n] = offset;
            entries[(2 * n) + 1] = length;
        }

        return entries;
    }

    private static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> destination, long offset)
    {
        var read = 0;
        while (read < destination.Length)
        {
            var n = RandomAccess.Read(handle, destination[read..], offset + read);
            if (n == 0)
            {
                throw new InvalidDataException($"The shard ended {destination.Length - read} bytes early while reading bytes {offset}..{offset + destination.Length} (truncated shard).");
            }

            read += n;
        }
    }

    internal unsafe byte[] Encode(byte[] shard)
    {
        var elementSize = Inner.Type.Size;
        var innerBytes = Inner.ChunkBytes;
        var index = new byte[InnerCount * 16];
        long offset = IndexAtEnd ? 0 : IndexLength;
        var parts = new byte[InnerCount][];
        fixed (byte* source = shard)
        {
            var pointer = (nint)source;
            ForEachInner(innerBytes, (n, local) =>
            {
                Position(n, local.Position);
                fixed (byte* destination = local.Buffer)
                {
                    ChunkLayout.CopyBlock((byte*)pointer, ShardShape, local.Position, destination, InnerShape, new long[InnerShape.Length], InnerShape, elementSize);
                }

                parts[n] = Inner.Encode(local.Buffer);
            });
        }

        for (var n = 0; n < InnerCount; n++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(index.AsSpan(n * 16), (ulong)offset);
            BinaryPrimitives.WriteUInt64LittleEndian(index.AsSpan((n * 16) + 8), (ulong)parts[n].Length);
            offset += parts[n].Length;
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

    /// <summary>Runs <paramref name="body"/> for every inner chunk in parallel with a per-thread buffer and position; the first failure is rethrown unwrapped.</summary>
    private void ForEachInner(int innerBytes, Action<int, (byte[] Buffer, long[] Position)> body)
    {
        try
        {
            Parallel.For(0, InnerCount, () => (Buffer: new byte[innerBytes], Position: new long[ShardShape.Length]), (n, _, local) =>
            {
                body(n, local);
                return local;
            }, _ => { });
        }
        catch (AggregateException exception)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(exception.Flatten().InnerExceptions[0]).Throw();
        }
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
