using System.Diagnostics;
using CellVision.Core.Volumes;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.Segmentation.Tests;

/// <summary>incasem's block-wise CLAHE equals its description driven through scikit-image's <c>_clahe</c> (Golden/incasem_golden.py), on real EM data.</summary>
public sealed class IncasemClaheTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-incasem-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void SmallBlocksOverSeveralBlocksMatchTheReference()
    {
        using var crop = EmCrop(Box.FromZyx(40, 30, 20, 70, 50, 90));
        var options = new IncasemClaheOptions { KernelSize = 32, BlockSize = 32, Context = 16, ClipLimit = 0.02 };
        using var actual = IncasemClahe.Equalize(crop, options);
        Assert.Equal(Reference(crop, options), actual.Span.ToArray());
    }

    [Fact]
    public void IncasemDefaultsMatchTheReferenceAndStreamThroughZarr()
    {
        using var crop = EmCrop(Box.FromZyx(70, 60, 50, 100, 100, 100));
        var expected = Reference(crop, new IncasemClaheOptions());
        using var inMemory = IncasemClahe.Equalize(crop);
        Assert.Equal(expected, inMemory.Span.ToArray());

        var input = ZarrArray.Create<byte>(Path.Combine(folder, "raw.zarr"), [100, 100, 100], [64, 64, 64], new BloscCompressor());
        input.Write(crop);
        var output = ZarrArray.Create<byte>(Path.Combine(folder, "eq.zarr"), [100, 100, 100], [128, 128, 128], new ZlibCompressor(3));
        var reports = new List<(int, int)>();
        IncasemClahe.Equalize(input, output, progress: new Progress(reports.Add));
        Assert.Equal(expected, output.Read<byte>(output.Bounds));
        Assert.Equal((1, 1), reports[^1]);
    }

    [Fact]
    public void BlocksEqualisedRegionByRegionEqualTheWholeVolume()
    {
        using var crop = EmCrop(Box.FromZyx(40, 30, 20, 50, 70, 40));
        var options = new IncasemClaheOptions { KernelSize = 32, BlockSize = 32, Context = 16 };
        using var whole = IncasemClahe.Equalize(crop, options);
        var input = ZarrArray.Create<byte>(Path.Combine(folder, "raw-regions.zarr"), [50, 70, 40], [32, 32, 32]);
        input.Write(crop);
        var output = ZarrArray.Create<byte>(Path.Combine(folder, "eq-regions.zarr"), [50, 70, 40], [32, 32, 32]);

        // The region of the last block row first, then the rest in two parts: the order does not matter.
        Box[] regions = [Box.FromZyx(0, 64, 0, 50, 6, 40), Box.FromZyx(0, 0, 0, 32, 64, 40), Box.FromZyx(32, 0, 0, 18, 64, 40)];
        var reports = new List<(int, int)>();
        foreach (var region in regions)
        {
            IncasemClahe.EqualizeBlocks(input, output, region, options, new Progress(reports.Add));
        }

        Assert.Equal(whole.Span.ToArray(), output.Read<byte>(output.Bounds));
        Assert.Equal([.. Enumerable.Repeat(new[] { (1, 4), (2, 4), (3, 4), (4, 4) }, 3).SelectMany(r => r)], reports);
        Assert.Throws<ClaheException>(() => IncasemClahe.EqualizeBlocks(input, output, Box.FromZyx(0, 16, 0, 32, 32, 32), options));
        Assert.Throws<ClaheException>(() => IncasemClahe.EqualizeBlocks(input, output, Box.FromZyx(0, 0, 0, 32, 40, 32), options));
    }

    private static Volume<byte> EmCrop(Box box)
    {
        using var tiff = TiffFile.Open(SharedData.PathOf("fib25-medulla-ts2", "derived", "raw_zyx_uint8.tif"));
        var crop = new Volume<byte>((int)box.Size[0], (int)box.Size[1], (int)box.Size[2]);
        var plane = new byte[tiff.Pages[0].Width * tiff.Pages[0].Height];
        for (var z = 0; z < crop.Depth; z++)
        {
            tiff.ReadPage<byte>((int)box.Start[0] + z, plane);
            for (var y = 0; y < crop.Height; y++)
            {
                plane.AsSpan((((int)box.Start[1] + y) * tiff.Pages[0].Width) + (int)box.Start[2], crop.Width).CopyTo(crop.Row(z, y));
            }
        }

        return crop;
    }

    private byte[] Reference(Volume<byte> crop, IncasemClaheOptions options)
    {
        var input = Path.Combine(folder, "in.bin");
        var output = Path.Combine(folder, "out.bin");
        File.WriteAllBytes(input, crop.Span.ToArray());
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Golden", "incasem_golden.py"), input, $"{crop.Depth},{crop.Height},{crop.Width}", $"{options.KernelSize}", $"{options.BlockSize}", $"{options.Context}", options.ClipLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), output })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return File.ReadAllBytes(output);
    }


    private sealed class Progress(Action<(int, int)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }
}
