using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using CellVision.Core.Volumes;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;
using CellVision.IO.Zarr.V3;

namespace CellVision.IO.Tests;

/// <summary>Zarr v3 arrays: codecs, chunk keys and the sharding layout of the v3 specification.</summary>
public sealed class ZarrV3Tests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-zarr3-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Crc32VariantsHaveTheirStandardCheckValues()
    {
        Assert.Equal(0xE3069283u, CellVision.Core.Checksums.Crc32.Castagnoli.Compute("123456789"u8));
        Assert.Equal(0xCBF43926u, CellVision.Core.Checksums.Crc32.Ieee.Compute("123456789"u8));
    }

    public static TheoryData<string> Compressors() => ["none", "gzip", "zstd", "blosc"];

    [Theory]
    [MemberData(nameof(Compressors))]
    public void ArraysRoundTripWithEachCompressorAndByteOrder(string name)
    {
        ZarrCompressor? compressor = name switch { "gzip" => new GzipCompressor(5), "zstd" => new ZstdCompressor(3), "blosc" => new BloscCompressor("zstd", 5, BloscShuffle.Bit), _ => null };
        foreach (var bigEndian in new[] { false, true })
        {
            var path = Path.Combine(folder, $"{name}-{bigEndian}");
            var array = ZarrV3Array.Create<float>(path, [5, 7, 9], [2, 3, 4], compressor, bigEndian: bigEndian, fillValue: double.NaN, dimensionNames: ["z", "y", "x"]);
            var values = Enumerable.Range(0, 5 * 7 * 9).Select(i => i * 0.5f).ToArray();
            array.Write(array.Bounds, values.AsSpan());
            var reopened = ZarrV3Array.Open(path);
            Assert.Equal(values, reopened.Read<float>(reopened.Bounds));
            Assert.True(File.Exists(Path.Combine(path, "c", "2", "2", "2")));
            Assert.Equal("NaN", reopened.Metadata["fill_value"]!.GetValue<string>());
        }
    }

    [Fact]
    public void TransposeCodecStoresThePermutedArray()
    {
        var path = Path.Combine(folder, "transpose");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "zarr.json"), """
            {"zarr_format": 3, "node_type": "array", "shape": [2, 3], "data_type": "uint8",
             "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2, 3]}},
             "chunk_key_encoding": {"name": "v2", "configuration": {"separator": "."}},
             "fill_value": 0,
             "codecs": [{"name": "transpose", "configuration": {"order": [1, 0]}}, {"name": "bytes"}]}
            """);
        var array = ZarrV3Array.Open(path);
        array.Write(array.Bounds, new byte[] { 0, 1, 2, 3, 4, 5 }.AsSpan());
        Assert.Equal([0, 3, 1, 4, 2, 5], File.ReadAllBytes(Path.Combine(path, "0.0")));
        Assert.Equal([0, 1, 2, 3, 4, 5], ZarrV3Array.Open(path).Read<byte>(array.Bounds));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ShardsFollowTheSpecifiedLayout(bool indexAtEnd)
    {
        var path = Path.Combine(folder, $"shard-{indexAtEnd}");
        var array = ZarrV3Array.Create<ushort>(path, [4, 8], [4, 8], innerChunks: [2, 4], indexAtEnd: indexAtEnd);
        var values = Enumerable.Range(0, 32).Select(i => (ushort)(i * 1000)).ToArray();
        array.Write(array.Bounds, values.AsSpan());
        Assert.True(array.IsSharded);

        var shard = File.ReadAllBytes(Path.Combine(path, "c", "0", "0"));
        const int inner = 4;
        var indexLength = (16 * inner) + 4;
        Assert.Equal((inner * 2 * 4 * 2) + indexLength, shard.Length);
        var index = indexAtEnd ? shard.AsSpan(shard.Length - indexLength) : shard.AsSpan(0, indexLength);
        Assert.Equal(CellVision.Core.Checksums.Crc32.Castagnoli.Compute(index[..^4]), BinaryPrimitives.ReadUInt32LittleEndian(index[^4..]));
        var firstOffset = (int)BinaryPrimitives.ReadUInt64LittleEndian(index);
        Assert.Equal(indexAtEnd ? 0 : indexLength, firstOffset);
        Assert.Equal(16UL, BinaryPrimitives.ReadUInt64LittleEndian(index[8..]));
        // Inner chunk (0, 0) holds rows 0–1, columns 0–3, little-endian.
        Assert.Equal(values[9], BinaryPrimitives.ReadUInt16LittleEndian(shard.AsSpan(firstOffset + (2 * 5))));
        Assert.Equal(values, ZarrV3Array.Open(path).Read<ushort>(array.Bounds));
        Assert.Equal(values[(2 * 8) + 5], ZarrV3Array.Open(path).Read<ushort>(new Box([2, 5], [1, 1]))[0]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RegionsOfShardsReadLikeTheWholeArray(bool indexAtEnd)
    {
        // Shards of 4×8×8 with inner chunks of 2×3×4 (not dividing the array's 9×13×15): edge shards, edge inner chunks.
        var path = Path.Combine(folder, $"regions-{indexAtEnd}");
        var array = ZarrV3Array.Create<short>(path, [9, 13, 15], [4, 9, 8], new ZstdCompressor(3), innerChunks: [2, 3, 4], indexAtEnd: indexAtEnd, fillValue: -5);
        var values = Enumerable.Range(0, 9 * 13 * 15).Select(i => (short)((i * 37) % 30011)).ToArray();
        array.Write(new Box([0, 0, 0], [8, 13, 15]), values.AsSpan(0, 8 * 13 * 15)); // the last plane's shards stay missing
        var expected = values.Select((v, i) => i < 8 * 13 * 15 ? v : (short)-5).ToArray();
        var reopened = ZarrV3Array.Open(path);
        Assert.Equal(expected, reopened.Read<short>(reopened.Bounds));
        var random = new Random(3);
        for (var trial = 0; trial < 40; trial++)
        {
            var start = new long[] { random.Next(9), random.Next(13), random.Next(15) };
            var size = new long[] { 1 + random.Next(9 - (int)start[0]), 1 + random.Next(13 - (int)start[1]), 1 + random.Next(15 - (int)start[2]) };
            var region = reopened.Read<short>(new Box(start, size));
            var i = 0;
            for (var z = start[0]; z < start[0] + size[0]; z++)
            {
                for (var y = start[1]; y < start[1] + size[1]; y++)
                {
                    for (var x = start[2]; x < start[2] + size[2]; x++)
                    {
                        Assert.Equal(expected[(((z * 13) + y) * 15) + x], region[i++]);
                    }
                }
            }
        }
    }

    [Fact]
    public void ARegionReadsOnlyTheInnerChunksItTouches()
    {
        var path = Path.Combine(folder, "touch");
        var array = ZarrV3Array.Create<byte>(path, [1, 8], [1, 8], new ZstdCompressor(3), innerChunks: [1, 2]);
        array.Write(array.Bounds, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }.AsSpan());
        var file = Path.Combine(path, "c", "0", "0");
        var bytes = File.ReadAllBytes(file);
        var lastOffset = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(bytes.Length - 4 - 16)); // index entry of inner chunk 3
        bytes.AsSpan(lastOffset, 4).Fill(0x55); // breaks that chunk's zstd frame magic
        File.WriteAllBytes(file, bytes);

        var reopened = ZarrV3Array.Open(path);
        Assert.Equal([1, 2, 3, 4, 5], reopened.Read<byte>(new Box([0, 0], [1, 5])));
        var exception = Assert.Throws<ZarrFormatException>(() => reopened.Read<byte>(new Box([0, 5], [1, 2])));
        Assert.Contains(file, exception.Message);
        Assert.Contains("cannot be decoded", exception.Message);
    }

    [Fact]
    public void EmptyInnerChunksReadAsFill()
    {
        var path = Path.Combine(folder, "empty-inner");
        var array = ZarrV3Array.Create<byte>(path, [2, 4], [2, 4], innerChunks: [2, 2], fillValue: 7);
        var index = new byte[2 * 16];
        index.AsSpan().Fill(0xFF);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, CellVision.Core.Checksums.Crc32.Castagnoli.Compute(index));
        Directory.CreateDirectory(Path.Combine(path, "c", "0"));
        File.WriteAllBytes(Path.Combine(path, "c", "0", "0"), [.. index, .. crc]);
        Assert.All(array.Read<byte>(array.Bounds), v => Assert.Equal(7, v));
    }

    [Fact]
    public void CorruptShardIndexIsReported()
    {
        var path = Path.Combine(folder, "corrupt");
        var array = ZarrV3Array.Create<byte>(path, [4], [4], innerChunks: [2]);
        array.Write(array.Bounds, new byte[] { 1, 2, 3, 4 }.AsSpan());
        var file = Path.Combine(path, "c", "0");
        var bytes = File.ReadAllBytes(file);
        bytes[^6] ^= 0x40;
        File.WriteAllBytes(file, bytes);
        var exception = Assert.Throws<ZarrFormatException>(() => array.Read<byte>(array.Bounds));
        Assert.Contains("CRC-32C mismatch", exception.Message);
        File.WriteAllBytes(file, bytes[..10]);
        Assert.Contains("truncated shard", Assert.Throws<ZarrFormatException>(() => array.Read<byte>(array.Bounds)).Message);
    }

    [Fact]
    public void UnknownExtensionsAndCodecsAreRefused()
    {
        var path = Path.Combine(folder, "ext");
        var array = ZarrV3Array.Create<byte>(path, [4], [4]);
        var json = array.Metadata.DeepClone().AsObject();
        json["fancy_extension"] = new JsonObject { ["must_understand"] = true };
        File.WriteAllText(Path.Combine(path, "zarr.json"), json.ToJsonString());
        Assert.Equal("fancy_extension", Assert.Throws<ZarrFormatException>(() => ZarrV3Array.Open(path)).Field);

        json.Remove("fancy_extension");
        json["codecs"]!.AsArray().Add(new JsonObject { ["name"] = "lzma" });
        File.WriteAllText(Path.Combine(path, "zarr.json"), json.ToJsonString());
        Assert.Equal("codecs[1]", Assert.Throws<ZarrFormatException>(() => ZarrV3Array.Open(path)).Field);

        json["codecs"]!.AsArray().RemoveAt(1);
        json["fancy_extension"] = new JsonObject { ["must_understand"] = false };
        File.WriteAllText(Path.Combine(path, "zarr.json"), json.ToJsonString());
        Assert.NotNull(ZarrV3Array.Open(path));
    }

    [Fact]
    public void ChunkKeysFollowBothEncodings()
    {
        var array = ZarrV3Array.Create<byte>(Path.Combine(folder, "keys"), [4, 4], [2, 2]);
        Assert.Equal("c/1/0", array.ChunkKey([1, 0]));
        Assert.Equal(Encoding.UTF8.GetString("c"u8), ZarrV3Array.Create<byte>(Path.Combine(folder, "scalar"), [], []).ChunkKey([]));
    }
}
