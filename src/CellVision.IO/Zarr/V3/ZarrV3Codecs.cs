using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.IO.Zarr.V3;

/// <summary>
/// A Zarr v3 codec pipeline: optional <c>transpose</c>, one array-to-bytes codec (<c>bytes</c> or
/// <c>sharding_indexed</c>), then bytes-to-bytes codecs (<c>gzip</c>, <c>zstd</c>, <c>blosc</c>, <c>crc32c</c>).
/// </summary>
internal sealed class ZarrV3Pipeline
{
    private readonly int[]? transpose;
    private readonly bool bigEndian;
    private readonly List<BytesCodec> bytesCodecs;

    private ZarrV3Pipeline(long[] chunkShape, ZarrDataType type, int[]? transpose, bool bigEndian, ShardingCodec? sharding, List<BytesCodec> bytesCodecs)
    {
        ChunkShape = chunkShape;
        Type = type;
        this.transpose = transpose;
        this.bigEndian = bigEndian;
        Sharding = sharding;
        this.bytesCodecs = bytesCodecs;
    }

    internal long[] ChunkShape { get; }

    internal ZarrDataType Type { get; }

    internal ShardingCodec? Sharding { get; }

    /// <summary>Whether a region can be read inner chunk by inner chunk, straight from byte ranges of the shard (sharding with nothing around it).</summary>
    internal bool ReadsInnerChunksSeparately => Sharding is not null && transpose is null && bytesCodecs.Count == 0;

    internal int ChunkBytes => (int)(ChunkShape.Aggregate(1L, (a, b) => a * b) * Type.Size);

    /// <summary>Parses a <c>codecs</c> list for chunks of <paramref name="chunkShape"/>.</summary>
    internal static ZarrV3Pipeline Parse(JsonArray codecs, long[] chunkShape, ZarrDataType type, string path, string field)
    {
        int[]? transpose = null;
        var bigEndian = false;
        ShardingCodec? sharding = null;
        var sawArrayToBytes = false;
        var bytes = new List<BytesCodec>();
        for (var i = 0; i < codecs.Count; i++)
        {
            var (name, configuration) = NameAndConfiguration(codecs[i], path, $"{field}[{i}]");
            switch (name)
            {
                case "transpose" when !sawArrayToBytes:
                    transpose = ParseOrder(configuration?["order"], chunkShape.Length, path, $"{field}[{i}].order");
                    break;
                case "bytes" when !sawArrayToBytes:
                    sawArrayToBytes = true;
                    var endian = configuration?["endian"]?.GetValue<string>();
                    if (endian is null && type.Size > 1)
                    {
                        throw new ZarrFormatException(path, $"{field}[{i}].endian", "is required for multi-byte data types.");
                    }

                    bigEndian = endian == "big";
                    if (endian is not (null or "little" or "big"))
                    {
                        throw new ZarrFormatException(path, $"{field}[{i}].endian", $"is \"{endian}\"; expected \"little\" or \"big\".");
                    }

                    break;
                case "sharding_indexed" when !sawArrayToBytes:
                    sawArrayToBytes = true;
                    var encodedShape = transpose is null ? chunkShape : transpose.Select(o => chunkShape[o]).ToArray();
                    sharding = ShardingCodec.Parse(configuration ?? [], encodedShape, type, path, $"{field}[{i}]");
                    break;
                case "gzip" when sawArrayToBytes:
                    bytes.Add(new CompressorCodec(new GzipCompressor(configuration?["level"]?.GetValue<int>() ?? 5)));
                    break;
                case "zstd" when sawArrayToBytes:
                    bytes.Add(new CompressorCodec(new ZstdCompressor(configuration?["level"]?.GetValue<int>() ?? 0, configuration?["checksum"]?.GetValue<bool>() ?? false)));
                    break;
                case "blosc" when sawArrayToBytes:
                    bytes.Add(new CompressorCodec(ParseBlosc(configuration, path, $"{field}[{i}]")));
                    break;
                case "crc32c" when sawArrayToBytes:
                    bytes.Add(new Crc32cCodec());
                    break;
                default:
                    throw new ZarrFormatException(path, $"{field}[{i}]", $"names codec \"{name}\" {(sawArrayToBytes ? "after" : "before")} the array-to-bytes codec, which CellVision does not support there (supported: transpose, bytes, sharding_indexed, gzip, zstd, blosc, crc32c).");
            }
        }

        if (!sawArrayToBytes)
        {
            throw new ZarrFormatException(path, field, "has no array-to-bytes codec (bytes or sharding_indexed).");
        }

        if (bytes.Count(b => b is CompressorCodec) > 1)
        {
            throw new ZarrFormatException(path, field, "chains several compressors; only one is supported.");
        }

        return new ZarrV3Pipeline(chunkShape, type, transpose, bigEndian, sharding, bytes);
    }

    /// <summary>Decodes one stored chunk into <paramref name="chunk"/> (C order, little-endian).</summary>
    internal void Decode(byte[] stored, Span<byte> chunk, Action<Span<byte>> fill)
    {
        var data = stored;
        var encodedLength = Sharding is null ? ChunkBytes : -1;
        for (var i = bytesCodecs.Count - 1; i >= 0; i--)
        {
            data = bytesCodecs[i].Decode(data, bytesCodecs[i] is CompressorCodec ? encodedLength : -1);
        }

        var target = transpose is null ? chunk : new byte[chunk.Length];
        if (Sharding is not null)
        {
            Sharding.Decode(data, target, fill);
        }
        else
        {
            if (data.Length != target.Length)
            {
                throw new InvalidDataException($"The chunk decodes to {data.Length} bytes but holds {target.Length} ({(data.Length < target.Length ? "truncated" : "over-long")} chunk).");
            }

            data.CopyTo(target);
            if (bigEndian)
            {
                Type.SwapBytes(target);
            }
        }

        if (transpose is not null)
        {
            Permute(target, chunk, ChunkShape, transpose, Type.Size, decode: true);
        }
    }

    /// <summary>Encodes one chunk (C order, little-endian) for storage.</summary>
    internal byte[] Encode(ReadOnlySpan<byte> chunk)
    {
        var source = chunk.ToArray();
        if (transpose is not null)
        {
            var permuted = new byte[source.Length];
            Permute(source, permuted, ChunkShape, transpose, Type.Size, decode: false);
            source = permuted;
        }

        byte[] data;
        if (Sharding is not null)
        {
            data = Sharding.Encode(source);
        }
        else
        {
            if (bigEndian)
            {
                Type.SwapBytes(source);
            }

            data = source;
        }

        foreach (var codec in bytesCodecs)
        {
            data = codec.Encode(data, Type.Size);
        }

        return data;
    }

    /// <summary>The <c>codecs</c> JSON for the given pieces.</summary>
    internal static JsonArray ToJson(bool bigEndian, ZarrCompressor? compressor, int elementSize, bool crc32c)
    {
        var codecs = new JsonArray(new JsonObject { ["name"] = "bytes", ["configuration"] = new JsonObject { ["endian"] = bigEndian ? "big" : "little" } });
        if (compressor is not null)
        {
            codecs.Add(CompressorJson(compressor, elementSize));
        }

        if (crc32c)
        {
            codecs.Add(new JsonObject { ["name"] = "crc32c" });
        }

        return codecs;
    }

    internal static JsonObject CompressorJson(ZarrCompressor compressor, int elementSize) => compressor switch
    {
        GzipCompressor g => new JsonObject { ["name"] = "gzip", ["configuration"] = new JsonObject { ["level"] = g.Level } },
        ZstdCompressor z => new JsonObject { ["name"] = "zstd", ["configuration"] = new JsonObject { ["level"] = z.Level, ["checksum"] = z.Checksum } },
        BloscCompressor b => new JsonObject
        {
            ["name"] = "blosc",
            ["configuration"] = new JsonObject
            {
                ["cname"] = b.CompressorName,
                ["clevel"] = b.Level,
                ["shuffle"] = (b.Shuffle == BloscShuffle.Auto ? (elementSize == 1 ? BloscShuffle.Bit : BloscShuffle.Byte) : b.Shuffle) switch { BloscShuffle.None => "noshuffle", BloscShuffle.Bit => "bitshuffle", _ => "shuffle" },
                ["typesize"] = elementSize,
                ["blocksize"] = b.BlockSize,
            },
        },
        _ => throw new NotSupportedException($"The {compressor.Id} compressor has no Zarr v3 codec; use gzip, zstd or blosc."),
    };

    internal static (string Name, JsonObject? Configuration) NameAndConfiguration(JsonNode? node, string path, string field)
    {
        switch (node)
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return (value.GetValue<string>(), null);
            case JsonObject entry when entry["name"]?.GetValueKind() == JsonValueKind.String:
                return (entry["name"]!.GetValue<string>(), entry["configuration"] as JsonObject);
            default:
                throw new ZarrFormatException(path, field, "must be a codec name or an object with a \"name\".");
        }
    }

    private static BloscCompressor ParseBlosc(JsonObject? configuration, string path, string field)
    {
        var shuffle = configuration?["shuffle"]?.GetValue<string>() switch
        {
            "noshuffle" => BloscShuffle.None,
            "shuffle" or null => BloscShuffle.Byte,
            "bitshuffle" => BloscShuffle.Bit,
            var other => throw new ZarrFormatException(path, $"{field}.shuffle", $"is \"{other}\"; expected noshuffle, shuffle or bitshuffle."),
        };
        return new BloscCompressor(configuration?["cname"]?.GetValue<string>() ?? "lz4", configuration?["clevel"]?.GetValue<int>() ?? 5, shuffle, configuration?["blocksize"]?.GetValue<int>() ?? 0);
    }

    private static int[] ParseOrder(JsonNode? node, int rank, string path, string field)
    {
        int[] order = node switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "C" => Enumerable.Range(0, rank).ToArray(),
            JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "F" => Enumerable.Range(0, rank).Reverse().ToArray(),
            JsonArray a => a.Select(e => e!.GetValue<int>()).ToArray(),
            _ => throw new ZarrFormatException(path, field, "must be a permutation of the dimensions."),
        };
        if (order.Length != rank || order.Order().Select((v, i) => v == i).Any(ok => !ok))
        {
            throw new ZarrFormatException(path, field, $"[{string.Join(", ", order)}] is not a permutation of 0..{rank - 1}.");
        }

        return order;
    }

    /// <summary>Encoded array B has shape B[i] = A[order[i]]; element A[a] sits at B[b] with b[i] = a[order[i]].</summary>
    private static void Permute(ReadOnlySpan<byte> source, Span<byte> destination, long[] shapeA, int[] order, int size, bool decode)
    {
        var rank = shapeA.Length;
        var shapeB = order.Select(o => shapeA[o]).ToArray();
        var stridesB = ChunkLayout.Strides(shapeB);
        var strideOfA = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            strideOfA[order[i]] = stridesB[i];
        }

        var count = shapeA.Aggregate(1L, (x, y) => x * y);
        var index = new long[rank];
        long offsetB = 0;
        for (long a = 0; a < count; a++)
        {
            if (decode)
            {
                source.Slice((int)(offsetB * size), size).CopyTo(destination.Slice((int)(a * size), size));
            }
            else
            {
                source.Slice((int)(a * size), size).CopyTo(destination.Slice((int)(offsetB * size), size));
            }

            for (var d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                offsetB += strideOfA[d];
                if (index[d] < shapeA[d])
                {
                    break;
                }

                offsetB -= index[d] * strideOfA[d];
                index[d] = 0;
            }
        }
    }
}

/// <summary>A bytes-to-bytes codec.</summary>
internal abstract class BytesCodec
{
    /// <summary>Decodes; <paramref name="expectedLength"/> is the exact result size when known, else -1.</summary>
    internal abstract byte[] Decode(byte[] data, int expectedLength);

    internal abstract byte[] Encode(byte[] data, int elementSize);
}

/// <summary>gzip, zstd or blosc as a v3 bytes-to-bytes codec.</summary>
internal sealed class CompressorCodec(ZarrCompressor compressor) : BytesCodec
{
    internal override byte[] Decode(byte[] data, int expectedLength)
    {
        if (expectedLength < 0)
        {
            expectedLength = ExpectedLength(data);
        }

        var result = new byte[expectedLength];
        compressor.Decode(data, result);
        return result;
    }

    internal override byte[] Encode(byte[] data, int elementSize) => compressor.Encode(data, elementSize);

    /// <summary>The decoded size of a shard's compressed payload, read from the codec's own header.</summary>
    private int ExpectedLength(byte[] data)
    {
        switch (compressor)
        {
            case BloscCompressor when data.Length >= 16:
                return BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4));
            case ZstdCompressor:
                unsafe
                {
                    fixed (byte* p = data)
                    {
                        var size = Native.ZstdMethods.ZSTD_getFrameContentSize(p, (nuint)data.Length);
                        if (size < int.MaxValue)
                        {
                            return (int)size;
                        }
                    }
                }

                break;
            case GzipCompressor when data.Length >= 4:
                return BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(data.Length - 4));
        }

        throw new InvalidDataException("The decoded size of the compressed data cannot be determined.");
    }
}

/// <summary>The <c>crc32c</c> codec: appends the CRC-32C of the data, little-endian.</summary>
internal sealed class Crc32cCodec : BytesCodec
{
    internal override byte[] Decode(byte[] data, int expectedLength)
    {
        if (data.Length < 4)
        {
            throw new InvalidDataException("The data are shorter than their 4-byte CRC-32C.");
        }

        var payload = data.AsSpan(0, data.Length - 4);
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(data.Length - 4));
        var actual = CellVision.Core.Checksums.Crc32.Castagnoli.Compute(payload);
        return stored == actual ? payload.ToArray() : throw new InvalidDataException($"CRC-32C mismatch: stored 0x{stored:X8}, computed 0x{actual:X8} (corrupt chunk).");
    }

    internal override byte[] Encode(byte[] data, int elementSize)
    {
        var result = new byte[data.Length + 4];
        data.CopyTo(result, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(data.Length), CellVision.Core.Checksums.Crc32.Castagnoli.Compute(data));
        return result;
    }
}
