using CellVision.Core.Volumes;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.Segmentation.Tests;

/// <summary>CLAHE of Zarr arrays streamed block by block gives the in-memory results (which equal scikit-image's).</summary>
public sealed class ChunkedClaheTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-chunked-clahe-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void IntegerOutputsEqualTheInMemoryIntegerOutputs()
    {
        using var volume = new Volume<ushort>(11, 37, 41);
        var random = new Random(2);
        for (var i = 0; i < volume.Length; i++)
        {
            volume.Span[i] = (ushort)(random.Next(3000) + (i % 41 * 400));
        }

        var options = new ClaheOptions { KernelSize = [3, 6, 7], ClipLimit = 0.02 };
        var input = ZarrArray.Create<ushort>(Path.Combine(folder, "in.zarr"), [11, 37, 41], [4, 16, 16], new ZstdCompressor(3));
        input.Write(volume);
        var wide = ZarrArray.Create<ushort>(Path.Combine(folder, "u16.zarr"), [11, 37, 41], [3, 37, 41]);
        Clahe.Equalize(input, wide, budgetBytes: 37 * 41 * 15 * 2, options, null, CancellationToken.None); // two planes per block
        using var expected = Clahe.EqualizeToUInt16(volume, options);
        Assert.Equal(expected.Span.ToArray(), wide.Read<ushort>(wide.Bounds));

        var narrow = ZarrArray.Create<byte>(Path.Combine(folder, "u8.zarr"), [11, 37, 41], [11, 37, 41]);
        Clahe.Equalize(input, narrow, options);
        using var unit = Clahe.Equalize(volume, options);
        Assert.Equal(unit.Span.ToArray().Select(u => (byte)Math.Clamp(Math.Round(u * 255.0), 0, 255)).ToArray(), narrow.Read<byte>(narrow.Bounds));
    }

    [Fact]
    public void UnsupportedTypesAndShapesAreRefusedBeforeAnythingIsWritten()
    {
        var input = ZarrArray.Create<ushort>(Path.Combine(folder, "in.zarr"), [4, 16, 16], [4, 16, 16]);
        input.Write(input.Bounds, new ushort[4 * 16 * 16].AsSpan());
        var floats = ZarrArray.Create<float>(Path.Combine(folder, "f32.zarr"), [4, 16, 16], [4, 16, 16]);
        Assert.Contains("float64, uint16 or uint8", Assert.Throws<ClaheException>(() => Clahe.Equalize(input, floats)).Message);
        var longs = ZarrArray.Create<long>(Path.Combine(folder, "i64.zarr"), [4, 16, 16], [4, 16, 16]);
        Assert.Throws<ClaheException>(() => Clahe.Equalize(input, longs));
        var smaller = ZarrArray.Create<double>(Path.Combine(folder, "small.zarr"), [4, 16, 15], [4, 16, 15]);
        Assert.Contains("same shape", Assert.Throws<ClaheException>(() => Clahe.Equalize(input, smaller)).Message);
        var shorts = ZarrArray.Create<short>(Path.Combine(folder, "i16.zarr"), [4, 16, 16], [4, 16, 16]);
        var output = ZarrArray.Create<double>(Path.Combine(folder, "out.zarr"), [4, 16, 16], [4, 16, 16]);
        Assert.Contains("uint8 or uint16", Assert.Throws<ClaheException>(() => Clahe.Equalize(shorts, output)).Message);
        Assert.Throws<ClaheException>(() => Clahe.Equalize(input, output, new ClaheOptions { ClipLimit = 2 }));
        foreach (var array in new[] { "f32.zarr", "i64.zarr", "small.zarr", "out.zarr" })
        {
            Assert.Empty(Directory.GetFiles(Path.Combine(folder, array), "0.*"));
        }
    }

    [Fact]
    public void CancellationStopsBetweenSteps()
    {
        var input = ZarrArray.Create<byte>(Path.Combine(folder, "in.zarr"), [8, 32, 32], [8, 32, 32]);
        input.Write(input.Bounds, Enumerable.Range(0, 8 * 32 * 32).Select(i => (byte)i).ToArray().AsSpan());
        var output = ZarrArray.Create<double>(Path.Combine(folder, "out.zarr"), [8, 32, 32], [1, 32, 32]);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Clahe.Equalize(input, output, cancellationToken: cancelled.Token));
    }
}
