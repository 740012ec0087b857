using CellVision.Core.Volumes;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;
using CellVision.Segmentation;

namespace CellVision.Cli.Tests;

/// <summary>
/// <c>cellvision semantic prepare</c>: TIFF sections into an incasem container whose data configuration
/// <c>semantic train</c> reads directly, and refusals of bad input that leave nothing behind.
/// </summary>
public sealed class SemanticPrepareCommandTests : IDisposable
{
    private const int Depth = 3;
    private const int Size = 48;
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Sections_become_an_incasem_container_and_configuration_that_train_reads()
    {
        var raw = folder.Sub("raw");
        using (var mito = Volume(Mito))
        using (var er = Volume((z, y, x) => (byte)(y < 6 ? 1 : 0)))
        {
            using var image = Volume(Raw);
            for (var z = 0; z < Depth; z++)
            {
                using var section = image.Crop(Box.FromZyx(z, 0, 0, 1, Size, Size));
                TiffWriter.Write(Path.Combine(raw, $"section_{z:D4}.tif"), section);
            }

            TiffWriter.Write(folder["mito.tif"], mito);
            TiffWriter.Write(folder["er.tif"], er);
        }

        var (code, output, error) = CliRunner.Run(
            "semantic", "prepare", "--raw", raw, "--label", $"mito={folder["mito.tif"]}", "--label", $"er={folder["er.tif"]}",
            "--voxel-size", "40,4,4", "--chunks", "2,32,32", "--metric-masks", "--inner-width", "1", "--outer-width", "2",
            "--out", folder["cell.zarr"], "--config", folder["cell.json"]);
        Assert.True(code == 0, error);
        Assert.Contains("volumes/labels/mito: 3×48×48 <u4", output, StringComparison.Ordinal);
        Assert.Contains($"data configuration 'cell' written to {folder["cell.json"]}", output, StringComparison.Ordinal);

        foreach (var group in new[] { string.Empty, "volumes", "volumes/labels", "volumes/metric_masks" })
        {
            Assert.True(ZarrGroup.IsGroup(Path.Combine(folder["cell.zarr"], group)), group);
        }

        var rawArray = ZarrArray.Open(Path.Combine(folder["cell.zarr"], "volumes/raw"));
        var mitoArray = ZarrArray.Open(Path.Combine(folder["cell.zarr"], "volumes/labels/mito"));
        var metricArray = ZarrArray.Open(Path.Combine(folder["cell.zarr"], "volumes/metric_masks/mito"));
        Assert.Equal(new long[] { 2, 32, 32 }, rawArray.Metadata.Chunks);
        Assert.Equal(new[] { 40.0, 4, 4 }, FunlibAttributes.Read(rawArray)!.Resolution);
        Assert.Equal(new[] { 0.0, 0, 0 }, FunlibAttributes.Read(metricArray)!.Offset);
        using (var expectedRaw = Volume(Raw))
        {
            Assert.Equal(expectedRaw.Span.ToArray(), rawArray.Read<byte>(rawArray.Bounds));
        }

        using (var labels = Volume(Mito))
        using (var wide = new Volume<uint>(Depth, Size, Size))
        {
            for (var i = 0; i < labels.Length; i++)
            {
                wide.Span[i] = labels.Span[i];
            }

            Assert.Equal(wide.Span.ToArray(), mitoArray.Read<uint>(mitoArray.Bounds));
            using var band = MetricExclusionMask.Compute(wide, new MetricExclusionMaskOptions { InnerWidth = 1, OuterWidth = 2 });
            Assert.Equal(band.Span.ToArray(), metricArray.Read<byte>(metricArray.Bounds));
        }

        var configuration = SemanticDataConfiguration.Load(folder["cell.json"]);
        var dataset = Assert.Single(configuration.Datasets);
        Assert.Equal(Path.GetFullPath(folder["cell.zarr"]), dataset.File);
        Assert.Equal(new[] { new SemanticLabelDataset("volumes/labels/mito", 1), new SemanticLabelDataset("volumes/labels/er", 2) }, dataset.Labels.ToArray());
        Assert.Equal(new[] { "volumes/metric_masks/mito", "volumes/metric_masks/er" }, dataset.MetricMasks.ToArray());
        Assert.Empty(Directory.GetDirectories(folder.Path, "*.partial"));
        Assert.Empty(Directory.GetDirectories(Path.Combine(folder["cell.zarr"], "volumes"), "*.staging", SearchOption.AllDirectories));

        (code, output, error) = CliRunner.Run(
            "semantic", "train", "--config", folder["cell.json"], "--model", folder["cell.pth"], "--iterations", "2", "--augmentation", "none",
            "--feature-maps", "2", "--downsample", "1,2,2", "--kernel", "1,3,3", "--input-size", "1,36,36");
        Assert.True(code == 0, error);
        Assert.Contains("3 classes", output, StringComparison.Ordinal);
        Assert.Equal("2", File.ReadAllText(folder["cell.pth.step"]));
    }

    [Fact]
    public void Bad_input_is_refused_and_leaves_nothing_behind()
    {
        using (var raw = Volume((z, y, x) => (byte)x))
        using (var small = new Volume<byte>(Depth, Size, Size - 1))
        {
            TiffWriter.Write(folder["raw.tif"], raw);
            TiffWriter.Write(folder["small.tif"], small);
        }

        var (code, _, error) = CliRunner.Run("semantic", "prepare", "--raw", folder["raw.tif"], "--label", $"mito={folder["small.tif"]}", "--out", folder["bad.zarr"], "--config", folder["bad.json"]);
        Assert.NotEqual(0, code);
        Assert.Contains("is 3×48×47 voxels (Z×Y×X) but the raw image", error, StringComparison.Ordinal);

        (code, _, error) = CliRunner.Run("semantic", "prepare", "--raw", folder["missing"], "--out", folder["bad.zarr"]);
        Assert.NotEqual(0, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);

        (code, _, error) = CliRunner.Run("semantic", "prepare", "--raw", folder["raw.tif"], "--label", "mito", "--out", folder["bad.zarr"]);
        Assert.NotEqual(0, code);
        Assert.Contains("must be NAME=PATH", error, StringComparison.Ordinal);

        (code, _, error) = CliRunner.Run("semantic", "prepare", "--raw", folder["raw.tif"], "--shape", "4,48,48", "--out", folder["bad.zarr"]);
        Assert.NotEqual(0, code);
        Assert.Contains("does not lie inside", error, StringComparison.Ordinal);

        (code, _, error) = CliRunner.Run("semantic", "prepare", "--raw", folder["raw.tif"], "--out", folder["bad.zarr"], "--config", folder["nowhere/bad.json"]);
        Assert.NotEqual(0, code);
        Assert.Contains("The folder of --config", error, StringComparison.Ordinal);

        Assert.False(Directory.Exists(folder["bad.zarr"]));
        Assert.False(File.Exists(folder["bad.json"]));
        Assert.Empty(Directory.GetDirectories(folder.Path));

        Directory.CreateDirectory(folder["taken.zarr"]);
        (code, _, error) = CliRunner.Run("semantic", "prepare", "--raw", folder["raw.tif"], "--out", folder["taken.zarr"]);
        Assert.NotEqual(0, code);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder["taken.zarr"]));
    }

    private static byte Raw(int z, int y, int x) => (byte)(Mito(z, y, x) > 0 ? 200 - x : 40 + y);

    private static byte Mito(int z, int y, int x) => (byte)(((y - 24) * (y - 24)) + ((x - 20) * (x - 20)) <= 100 + (z * 20) ? 255 : 0);

    private static Volume<byte> Volume(Func<int, int, int, byte> value)
    {
        var volume = new Volume<byte>(Depth, Size, Size);
        var i = 0;
        for (var z = 0; z < Depth; z++)
        {
            for (var y = 0; y < Size; y++)
            {
                for (var x = 0; x < Size; x++)
                {
                    volume.Span[i++] = value(z, y, x);
                }
            }
        }

        return volume;
    }
}
