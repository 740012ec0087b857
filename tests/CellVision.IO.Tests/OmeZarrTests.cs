using System.Globalization;
using System.Text.Json.Nodes;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.IO.OmeZarr;
using CellVision.IO.Zarr;

namespace CellVision.IO.Tests;

/// <summary>OME-Zarr 0.4 images with pyramids and labels: written files read correctly in zarr-python with the metadata neuroglancer needs.</summary>
public sealed class OmeZarrTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-ome-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(2, 2, 2)]
    [InlineData(1, 4, 4)]
    [InlineData(4, 8, 16)] // wider than the 13-voxel rows and deeper than the 3 planes: one partial block
    public void PyramidLevelsAreBlockMeansRoundedHalfToEvenOrFirstVoxels(int fz, int fy, int fx)
    {
        using var intensities = new Volume<ushort>(3, 11, 13);
        using var floats = new Volume<float>(3, 11, 13);
        var random = new Random(fz + fy + fx);
        for (var i = 0; i < intensities.Length; i++)
        {
            intensities.Span[i] = (ushort)random.Next(65536);
            floats.Span[i] = (float)random.NextDouble();
        }

        using var mean = OmeZarrPyramid.Downsample(intensities, (fz, fy, fx), average: true);
        using var meanFloat = OmeZarrPyramid.Downsample(floats, (fz, fy, fx), average: true);
        using var first = OmeZarrPyramid.Downsample(intensities, (fz, fy, fx), average: false);
        Assert.Equal((Math.Max(1, 3 / fz), Math.Max(1, 11 / fy), Math.Max(1, 13 / fx)), (mean.Depth, mean.Height, mean.Width));
        for (var z = 0; z < mean.Depth; z++)
        {
            for (var y = 0; y < mean.Height; y++)
            {
                for (var x = 0; x < mean.Width; x++)
                {
                    double sum = 0, sumFloat = 0;
                    var count = 0;
                    for (var dz = 0; dz < fz && (z * fz) + dz < 3; dz++)
                    {
                        for (var dy = 0; dy < fy && (y * fy) + dy < 11; dy++)
                        {
                            for (var dx = 0; dx < fx && (x * fx) + dx < 13; dx++)
                            {
                                sum += intensities[(z * fz) + dz, (y * fy) + dy, (x * fx) + dx];
                                sumFloat += floats[(z * fz) + dz, (y * fy) + dy, (x * fx) + dx];
                                count++;
                            }
                        }
                    }

                    Assert.Equal((ushort)Math.Round(sum / count, MidpointRounding.ToEven), mean[z, y, x]);
                    Assert.Equal((float)(sumFloat / count), meanFloat[z, y, x], 1e-6f);
                    Assert.Equal(intensities[z * fz, y * fy, x * fx], first[z, y, x]);
                }
            }
        }
    }

    [Fact]
    public void WrittenImageWithLabelsReadsInZarrPython()
    {
        using var volume = new Volume<ushort>(8, 300, 260, new VoxelSize(0.25, 0.25, 1.0));
        using var labels = new Volume<uint>(8, 300, 260, new VoxelSize(0.25, 0.25, 1.0));
        for (var i = 0; i < volume.Length; i++)
        {
            volume.Span[i] = (ushort)(i % 4001);
            labels.Span[i] = (uint)(i / 5000);
        }

        var path = Path.Combine(folder, "image.zarr");
        var image = OmeZarrImage.Write(path, volume, new OmeZarrWriteOptions { Unit = "micron" });
        image.WriteLabels("cells", labels, new Dictionary<long, (byte, byte, byte, byte)> { [1] = (255, 0, 0, 255) });

        Assert.Equal(3, image.Levels.Count); // 260 → 130 → 65: levels are added while the smallest XY side stays ≥ 64
        Assert.Equal([1.0, 1.0, 1.0], image.Levels[2].Scale);
        Assert.Equal([1.0, 0.25, 0.25], image.Levels[0].Scale);
        Assert.Equal([1.0, 0.5, 0.5], image.Levels[1].Scale);
        Assert.Equal([0.0, 0.125, 0.125], image.Levels[1].Translation);
        var reread = OmeZarrImage.Open(path);
        Assert.All(reread.Axes, a => Assert.Equal("micrometer", a.Unit));
        var level1 = reread.Levels[1].Array.Read<ushort>(reread.Levels[1].Array.Bounds);
        var expected = (volume[3, 10, 20] + volume[3, 10, 21] + volume[3, 11, 20] + volume[3, 11, 21]) / 4.0;
        Assert.Equal(Math.Round(expected), level1[(3 * 150 * 130) + (5 * 130) + 10]);
        var cells = reread.OpenLabels("cells");
        Assert.Equal(3, cells.Levels.Count);

        var script = """
            import sys, json, zarr, numpy as np
            root = zarr.open_group(sys.argv[1], mode="r")
            ms = root.attrs["multiscales"][0]
            a0 = root["0"][...]
            lab = root["labels/cells/0"][...]
            lab1 = root["labels/cells/1"]
            il = root["labels/cells"].attrs["image-label"]
            print(ms["version"], [a["unit"] for a in ms["axes"]], [d["path"] for d in ms["datasets"]], root["0"]._dimension_separator,
                  int(a0.astype(np.int64).sum()), int(lab.astype(np.int64).sum()), lab1.shape, lab1.dtype, root["labels"].attrs["labels"], il["source"]["image"], il["colors"][0]["rgba"])
            """;
        var output = PythonReference.RunInline(script, path);
        var volumeSum = volume.Span.ToArray().Sum(v => (long)v);
        var labelSum = labels.Span.ToArray().Sum(v => (long)v);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"0.4 ['micrometer', 'micrometer', 'micrometer'] ['0', '1', '2'] / {volumeSum} {labelSum} (8, 150, 130) uint32 ['cells'] ../../ [255, 0, 0, 255]"), output);
    }

    [Fact]
    public void Version05ImagesUseZarrV3WithOmeAttributes()
    {
        using var volume = new Volume<ushort>(4, 70, 80, new VoxelSize(0.5, 0.5, 2));
        using var labels = new Volume<byte>(4, 70, 80, new VoxelSize(0.5, 0.5, 2));
        for (var i = 0; i < volume.Length; i++)
        {
            volume.Span[i] = (ushort)i;
            labels.Span[i] = (byte)(i % 3);
        }

        var path = Path.Combine(folder, "v05.zarr");
        var image = OmeZarrImage.Write(path, volume, new OmeZarrWriteOptions { Version = "0.5", Levels = 2 });
        image.WriteLabels("nuclei", labels);
        var reread = OmeZarrImage.Open(path);
        Assert.Equal("0.5", reread.Version);
        Assert.Equal(volume.Span.ToArray(), reread.Levels[0].Array.Read<ushort>(reread.Levels[0].Array.Bounds));
        Assert.Equal(labels.Span.ToArray(), reread.OpenLabels("nuclei").Levels[0].Array.Read<byte>(new Core.Volumes.Box([0, 0, 0], [4, 70, 80])));

        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(path, "zarr.json")))!;
        Assert.Equal("group", root["node_type"]!.GetValue<string>());
        Assert.Equal("0.5", root["attributes"]!["ome"]!["version"]!.GetValue<string>());
        Assert.Null(root["attributes"]!["ome"]!["multiscales"]![0]!["version"]);
        var level = JsonNode.Parse(File.ReadAllText(Path.Combine(path, "1", "zarr.json")))!;
        Assert.Equal("[\"z\",\"y\",\"x\"]", level["dimension_names"]!.ToJsonString());
        var labelsGroup = JsonNode.Parse(File.ReadAllText(Path.Combine(path, "labels", "zarr.json")))!;
        Assert.Equal("[\"nuclei\"]", labelsGroup["attributes"]!["ome"]!["labels"]!.ToJsonString());
        Assert.False(File.Exists(Path.Combine(path, ".zattrs")));
    }

    [Fact]
    public void DatasetPathThatLeavesTheGroupIsRefused()
    {
        var path = Path.Combine(folder, "evil.zarr");
        using var volume = new Volume<byte>(1, 4, 4);
        OmeZarrImage.Write(path, volume, new OmeZarrWriteOptions { Levels = 1 });
        var group = ZarrGroup.Open(path);
        var attributes = group.ReadAttributes();
        attributes["multiscales"]![0]!["datasets"]![0]!["path"] = "../../outside";
        group.WriteAttributes(attributes);
        var exception = Assert.Throws<ZarrFormatException>(() => OmeZarrImage.Open(path));
        Assert.Equal("../../outside", exception.Field);
    }

    [Fact]
    public void MissingMultiscalesIsNamed()
    {
        var path = Path.Combine(folder, "plain.zarr");
        ZarrGroup.Create(path).WriteAttributes(new JsonObject { ["other"] = 1 });
        Assert.Equal("multiscales", Assert.Throws<ZarrFormatException>(() => OmeZarrImage.Open(path)).Field);
    }
}
