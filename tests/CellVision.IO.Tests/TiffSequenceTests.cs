using CellVision.IO.Tiff;
using CellVision.IO.Zarr;

namespace CellVision.IO.Tests;

/// <summary>TIFF sequences become one Zarr array in natural file order, and back.</summary>
public sealed class TiffSequenceTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-seq-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void NaturalOrderComparesDigitRunsByValue()
    {
        string[] names = ["t10.tif", "t2.tif", "t1.tif", "t002b.tif", "a.tif", "t0010x.tif"];
        Assert.Equal(["a.tif", "t1.tif", "t2.tif", "t002b.tif", "t10.tif", "t0010x.tif"], names.Order(NaturalOrder.Instance));
    }

    [Fact]
    public void StacksRoundTripThroughZarrInNaturalOrder()
    {
        var source = Path.Combine(folder, "in");
        Directory.CreateDirectory(source);
        foreach (var t in new[] { 1, 2, 10 })
        {
            var planes = Enumerable.Range(0, 3).Select(z => (ReadOnlyMemory<ushort>)Enumerable.Range(0, 20).Select(i => (ushort)((t * 1000) + (z * 100) + i)).ToArray()).ToList();
            TiffWriter.Write(Path.Combine(source, $"frame{t}.tif"), planes, 5, 4, new TiffWriteOptions { Compression = TiffCompression.Deflate });
        }

        var files = TiffSequence.Find(source);
        Assert.Equal(["frame1.tif", "frame2.tif", "frame10.tif"], files.Select(Path.GetFileName));
        var array = TiffSequence.ToZarr(files, Path.Combine(folder, "seq.zarr"));
        Assert.Equal([3L, 3, 4, 5], array.Shape);
        var values = array.Read<ushort>(array.Bounds);
        Assert.Equal(10000 + 200 + 7, values[(2 * 60) + (2 * 20) + 7]);

        var written = TiffSequence.FromZarr(ZarrArray.Open(Path.Combine(folder, "seq.zarr")), Path.Combine(folder, "out"));
        Assert.Equal(["t000.tif", "t001.tif", "t002.tif"], written.Select(Path.GetFileName));
        using var last = TiffFile.Open(written[2]);
        Assert.Equal(3, last.Pages.Count);
        Assert.Equal(10000 + 100 + 3, last.ReadPage<ushort>(1)[3]);
    }

    [Fact]
    public void MismatchedFilesAreNamed()
    {
        TiffWriter.Write<byte>(Path.Combine(folder, "a1.tif"), [new byte[6]], 3, 2);
        TiffWriter.Write<byte>(Path.Combine(folder, "a2.tif"), [new byte[8]], 4, 2);
        var exception = Assert.Throws<TiffFormatException>(() => TiffSequence.ToZarr(TiffSequence.Find(folder), Path.Combine(folder, "bad.zarr")));
        Assert.Equal(Path.Combine(folder, "a2.tif"), exception.Path);
    }
}
