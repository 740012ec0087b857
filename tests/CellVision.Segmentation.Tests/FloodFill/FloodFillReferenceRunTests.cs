using System.Globalization;
using CellVision.Core.Volumes;
using CellVision.IO.Tiff;

namespace CellVision.Segmentation.Tests.FloodFill;

/// <summary>
/// The seed policy on the whole 250³ FIB-25 volume proposes the seeds of google/ffn's own run on it
/// (shared/data/fib25-medulla-ts2/ffn-reference-result/origins.csv): every one of its 254 object origins is a seed,
/// and the seeds come in the order of the object ids.
/// </summary>
public sealed class FloodFillReferenceRunTests
{
    [Fact]
    public void EveryOriginOfTheReferenceRunIsASeedInIdOrder()
    {
        using var raw = ReadVolume(SharedData.PathOf("fib25-medulla-ts2", "derived", "raw_zyx_uint8.tif"));
        using var image = FloodFillSegmenter.Normalize(raw, new FloodFillInferenceOptions());
        using var canvas = new FloodFillCanvas(image, new StandInNetwork((33, 33, 33), (8, 8, 8), 0, 1, 1, 0), new FloodFillInferenceOptions(), null);
        var seeds = canvas.FindSeeds(CancellationToken.None);
        var order = seeds.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);

        var origins = File.ReadLines(SharedData.PathOf("fib25-medulla-ts2", "ffn-reference-result", "origins.csv"))
            .Skip(1)
            .Select(line => line.Split(','))
            .OrderBy(f => int.Parse(f[0], CultureInfo.InvariantCulture))
            .Select(f => (int.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture), int.Parse(f[3], CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(254, origins.Count);
        var missing = origins.Where(o => !order.ContainsKey(o)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} origins are not seeds, e.g. {string.Join(", ", missing.Take(5))}");
        var positions = origins.Select(o => order[o]).ToList();
        Assert.True(positions.Zip(positions.Skip(1)).All(p => p.First < p.Second), "the origins are not in seed order");
    }

    private static Volume<byte> ReadVolume(string path)
    {
        using var tiff = TiffFile.Open(path);
        var (width, height) = (tiff.Pages[0].Width, tiff.Pages[0].Height);
        var volume = new Volume<byte>(tiff.Pages.Count, height, width);
        for (var z = 0; z < volume.Depth; z++)
        {
            tiff.ReadPage<byte>(z, volume.Plane(z));
        }

        return volume;
    }
}
