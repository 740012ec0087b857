using System.Buffers.Binary;
using System.Text;

namespace CellVision.Segmentation.Tests;

/// <summary>Coordinate files read back what was written, byte layout as documented, and every damaged file is refused with its name.</summary>
public sealed class FloodFillCoordinateFileTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static FloodFillCoordinateSet Sample() => new(
        [new FloodFillCoordinateVolume("tr\u00e4ining/a.zarr", 5, 6, 7), new FloodFillCoordinateVolume("b", 3, 2, 1)],
        [new FloodFillCoordinate(0, 4, 5, 6), new FloodFillCoordinate(1, 2, 1, 0), new FloodFillCoordinate(0, 0, 0, 0)],
        new Dictionary<byte, long> { [0] = 12, [13] = 3_000_000_000 });

    [Fact]
    public void A_set_reads_back_as_written_in_the_documented_layout()
    {
        var path = folder["coords.bin"];
        FloodFillCoordinateFile.Write(path, Sample());
        var read = FloodFillCoordinateFile.Read(path);
        Assert.Equal(Sample().Volumes, read.Volumes);
        Assert.Equal(Sample().Coordinates, read.Coordinates);
        Assert.Equal(Sample().PartitionCounts.OrderBy(p => p.Key), read.PartitionCounts.OrderBy(p => p.Key));

        var bytes = File.ReadAllBytes(path);
        Assert.Equal("CVFFNCRD"u8.ToArray(), bytes[..8]);
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(3L, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(20)));
        var header = 28 + (16 + Encoding.UTF8.GetByteCount("tr\u00e4ining/a.zarr")) + (16 + 1) + (2 * 12);
        Assert.Equal(header + (3 * 16), bytes.Length);
        Assert.Equal([1, 2, 1, 0], Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(header + 16 + (4 * i)))));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.partial"));
    }

    [Fact]
    public void Damaged_files_are_refused_naming_the_file_and_the_problem()
    {
        var path = folder["coords.bin"];
        FloodFillCoordinateFile.Write(path, Sample());
        var good = File.ReadAllBytes(path);
        var header = good.Length - (3 * 16);

        AssertRefused(good[..^1], "bytes");
        AssertRefused([.. good, 0], "bytes");
        AssertRefused(good[..5], "CVFFNCRD");
        AssertRefused(With(good, 0, (byte)'X'), "CVFFNCRD");
        AssertRefused(WithInt(good, 8, 2), "version");
        AssertRefused(WithInt(good, 12, 0), "volume count");
        AssertRefused(WithInt(good, 16, 300), "partition count");
        AssertRefused(WithInt(good, 28, 0), "volume 0 depth");
        AssertRefused(WithInt(good, header - 12, 255), "partition 1 value");
        AssertRefused(WithInt(good, header - 12, 0), "twice");
        AssertRefused(WithInt(good, header, 2), "coordinate 0");
        AssertRefused(WithInt(good, header + 4, 5), "coordinate 0");
        AssertRefused(WithInt(good, header + 16 + 12, -1), "coordinate 1");
        AssertRefused(WithInt(good, 28 + 12, 1_000_000), "name length");
        Assert.Throws<FileNotFoundException>(() => FloodFillCoordinateFile.Read(folder["missing.bin"]));
    }

    private void AssertRefused(byte[] bytes, string problem)
    {
        var path = folder["damaged.bin"];
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => FloodFillCoordinateFile.Read(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    private static byte[] With(byte[] bytes, int offset, byte value)
    {
        var copy = bytes.ToArray();
        copy[offset] = value;
        return copy;
    }

    private static byte[] WithInt(byte[] bytes, int offset, int value)
    {
        var copy = bytes.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }
}
