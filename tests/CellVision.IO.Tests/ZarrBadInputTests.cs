using System.IO.Compression;
using CellVision.Core.Volumes;
using CellVision.IO.Stores;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.IO.Tests;

/// <summary>Bad Zarr input fails with a specific exception naming the file and the field or chunk, and never crashes.</summary>
public sealed class ZarrBadInputTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-zarr-bad-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(-1, "truncated")]
    [InlineData(+1, "over-long")]
    public void RawChunkOfWrongLengthIsReported(int delta, string word)
    {
        var array = ZarrArray.Create<ushort>(Path.Combine(folder, "raw"), [4, 4], [2, 2], compressor: null);
        array.Write(array.Bounds, new ushort[16].AsSpan());
        var chunk = array.Store.PathOf("1.0");
        var bytes = File.ReadAllBytes(chunk);
        File.WriteAllBytes(chunk, delta < 0 ? bytes[..^1] : [.. bytes, 0]);

        var exception = Assert.Throws<ZarrFormatException>(() => array.Read<ushort>(array.Bounds));
        Assert.Equal("1.0", exception.Field);
        Assert.Equal(chunk, exception.Path);
        Assert.Contains(word, exception.Message);
    }

    [Theory]
    [InlineData("blosc")]
    [InlineData("zstd")]
    [InlineData("zlib")]
    [InlineData("gzip")]
    public void TruncatedCompressedChunkIsReported(string codec)
    {
        ZarrCompressor compressor = codec switch
        {
            "blosc" => new BloscCompressor(),
            "zstd" => new ZstdCompressor(),
            "zlib" => new ZlibCompressor(),
            _ => new GzipCompressor(),
        };
        var array = ZarrArray.Create<float>(Path.Combine(folder, codec), [64, 64], [64, 64], compressor);
        array.Write(array.Bounds, Enumerable.Range(0, 4096).Select(i => (float)Math.Sin(i)).ToArray().AsSpan());
        var chunk = array.Store.PathOf("0.0");
        var bytes = File.ReadAllBytes(chunk);
        File.WriteAllBytes(chunk, bytes[..(bytes.Length / 2)]);
        var exception = Assert.Throws<ZarrFormatException>(() => array.Read<float>(array.Bounds));
        Assert.Equal("0.0", exception.Field);
    }

    [Fact]
    public void DecompressionBombStopsAtTheChunkSize()
    {
        var array = ZarrArray.Create<byte>(Path.Combine(folder, "bomb"), [1024], [1024], new ZlibCompressor());
        using (var file = File.Create(array.Store.PathOf("0")))
        using (var zlib = new ZLibStream(file, CompressionLevel.SmallestSize))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 512; i++)
            {
                zlib.Write(zeros);
            }
        }

        Assert.True(new FileInfo(array.Store.PathOf("0")).Length < 1 << 20);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var exception = Assert.Throws<ZarrFormatException>(() => array.Read<byte>(array.Bounds));
        Assert.Contains("over-long", exception.Message);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64 << 20, "decoding allocated far more than one chunk");
    }

    [Fact]
    public void ZstdFrameDeclaringMoreThanTheChunkIsRefusedBeforeDecoding()
    {
        var big = ZarrArray.Create<byte>(Path.Combine(folder, "big"), [1 << 20], [1 << 20], new ZstdCompressor());
        big.Write(big.Bounds, new byte[1 << 20].AsSpan());
        var small = ZarrArray.Create<byte>(Path.Combine(folder, "small"), [256], [256], new ZstdCompressor());
        File.Copy(big.Store.PathOf("0"), small.Store.PathOf("0"));
        var exception = Assert.Throws<ZarrFormatException>(() => small.Read<byte>(small.Bounds));
        Assert.Contains("declares 1048576 bytes", exception.Message);
    }

    [Theory]
    [InlineData("""{"zarr_format": 2, "shape": [4], "chunks": [2], "dtype": "<c8", "compressor": null, "fill_value": 0, "order": "C", "filters": null}""", "dtype")]
    [InlineData("""{"zarr_format": 2, "shape": [4], "chunks": [2], "dtype": "<u2", "compressor": {"id": "lzma"}, "fill_value": 0, "order": "C", "filters": null}""", "compressor.id")]
    [InlineData("""{"zarr_format": 2, "shape": [4], "chunks": [2], "dtype": "<u2", "compressor": null, "fill_value": 0, "order": "C", "filters": [{"id": "delta"}]}""", "filters")]
    [InlineData("""{"zarr_format": 2, "shape": [4], "chunks": [0], "dtype": "<u2", "compressor": null, "fill_value": 0, "order": "C", "filters": null}""", "chunks")]
    [InlineData("""{"zarr_format": 2, "shape": [4], "chunks": [2], "dtype": "<u2", "compressor": null, "fill_value": "NaN", "order": "C", "filters": null}""", "fill_value")]
    [InlineData("""{"zarr_format": 2, "shape": [4], "chunks": [2], "dtype": "|u1", "compressor": null, "fill_value": 300, "order": "C", "filters": null}""", "fill_value")]
    [InlineData("""{"zarr_format": 2, "shape": [4], "chunks": [2], "dtype": "<u2", "compressor": null, "fill_value": 0, "order": "K", "filters": null}""", "order")]
    [InlineData("""{"zarr_format": 3, "shape": [4], "chunks": [2], "dtype": "<u2", "compressor": null, "fill_value": 0, "order": "C", "filters": null}""", "zarr_format")]
    [InlineData("""{"zarr_format": 2, "shape": [4], "chunks": [2], "dtype": "<u2", "compressor": null, "fill_value": 0, "order": "C", "filters": null, "dimension_separator": "-"}""", "dimension_separator")]
    [InlineData("""{"zarr_format": 2, "shape": [4], "chunks": [2], "dtype": "<u2", """, "(json)")]
    public void InvalidMetadataNamesTheField(string zarray, string field)
    {
        var path = Path.Combine(folder, "meta");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, ".zarray"), zarray);
        var exception = Assert.Throws<ZarrFormatException>(() => ZarrArray.Open(path));
        Assert.Equal(field, exception.Field);
        Assert.Equal(Path.Combine(path, ".zarray"), exception.Path);
    }

    [Fact]
    public void MissingArrayIsFileNotFound()
    {
        var exception = Assert.Throws<FileNotFoundException>(() => ZarrArray.Open(Path.Combine(folder, "absent")));
        Assert.Contains(".zarray", exception.Message);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("a/../../outside")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\b")]
    [InlineData("a//b")]
    public void KeysThatLeaveTheStoreAreRefused(string key)
    {
        var store = new DirectoryStore(folder);
        Assert.Throws<ArgumentException>(() => store.PathOf(key));
        Assert.Throws<ArgumentException>(() => store.Write(key, [1]));
    }

    [Fact]
    public void WrongElementTypeAndOutOfBoundsRegionsAreArgumentErrors()
    {
        var array = ZarrArray.Create<ushort>(Path.Combine(folder, "args"), [4, 4], [2, 2], compressor: null);
        Assert.Throws<ArgumentException>(() => array.Read<float>(array.Bounds));
        Assert.Throws<ArgumentOutOfRangeException>(() => array.Read<ushort>(new Box([2, 2], [3, 1])));
        Assert.Throws<ArgumentException>(() => array.Write(array.Bounds, new ushort[3].AsSpan()));
        Assert.Throws<IOException>(() => ZarrArray.Create<ushort>(Path.Combine(folder, "args"), [4, 4], [2, 2]));
    }

    [Fact]
    public void FailedChunkWriteLeavesNoPartialFile()
    {
        var array = ZarrArray.Create<ushort>(Path.Combine(folder, "atomic"), [4], [4], compressor: null);
        array.Write(array.Bounds, new ushort[] { 1, 2, 3, 4 }.AsSpan());
        Assert.Equal(["0", ".zarray"], Directory.GetFiles(array.Store.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal).Reverse());
    }
}
