using CellVision.Core.Volumes;
using CellVision.IO.Zarr;

namespace CellVision.Segmentation.Tests;

/// <summary>
/// The in-memory CLAHE writes its 14-bit results into the first bytes of the float output and widens them in place;
/// these tests check that no result is overwritten before it is read, across several parallel rounds.
/// </summary>
public sealed unsafe class ClaheWideningTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-clahe-widening-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(65_537)]
    [InlineData(1_000_003)]
    public void WideningInPlaceEqualsMappingIntoSeparateMemory(int length)
    {
        var random = new Random(length);
        var results = Enumerable.Range(0, length).Select(_ => (ushort)random.Next(16384)).ToArray();
        var doubles = Enumerable.Range(0, 16384).Select(_ => random.NextDouble()).ToArray();
        var floats = doubles.Select(d => (float)d).ToArray();

        var wide = new double[length];
        fixed (double* target = wide)
        {
            results.CopyTo(new Span<ushort>(target, length));
            Clahe.ExpandInPlace(target, length, doubles);
        }

        Assert.Equal(results.Select(r => doubles[r]).ToArray(), wide);

        var single = new float[length];
        fixed (float* target = single)
        {
            results.CopyTo(new Span<ushort>(target, length));
            Clahe.ExpandInPlace(target, length, floats);
        }

        Assert.Equal(results.Select(r => floats[r]).ToArray(), single);
    }

    [Fact]
    public void LargeVolumesEqualTheStreamedResult()
    {
        // 557,800 voxels: two parallel widening rounds and a sequential tail; the streamed path maps into separate buffers.
        using var volume = new Volume<ushort>(6, 300, 310);
        var random = new Random(5);
        for (var i = 0; i < volume.Length; i++)
        {
            volume.Span[i] = (ushort)(random.Next(2000) + (i / 310 % 300 * 150));
        }

        var options = new ClaheOptions { ClipLimit = 0.02 };
        var input = ZarrArray.Create<ushort>(Path.Combine(folder, "in.zarr"), [6, 300, 310], [2, 128, 128]);
        input.Write(volume);
        var streamed = ZarrArray.Create<double>(Path.Combine(folder, "out.zarr"), [6, 300, 310], [6, 300, 310]);
        Clahe.Equalize(input, streamed, options);
        using var equalised = Clahe.Equalize(volume, options);
        Assert.Equal(streamed.Read<double>(streamed.Bounds), equalised.Span.ToArray());
    }
}
