using CellVision.Core.Volumes;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;
using CellVision.Segmentation;

namespace CellVision.Cli.Tests;

/// <summary><c>cellvision semantic train|predict</c> on an em-drosophila-vnc-sstem crop: a checkpoint that resumes, block-wise maps that resume, refusals.</summary>
public sealed class SemanticTrainPredictCommandTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Train_then_predict_writes_incasems_layout_and_both_resume()
    {
        using (var rawTiff = TiffFile.Open(SharedData.PathOf("em-drosophila-vnc-sstem", "raw_zyx_uint8.tif")))
        using (var raw = rawTiff.ReadStack<byte>())
        using (var labelTiff = TiffFile.Open(SharedData.PathOf("em-drosophila-vnc-sstem", "labels_classes_zyx_uint8.tif")))
        using (var classes = labelTiff.ReadStack<byte>())
        using (var crop = raw.Crop(Box.FromZyx(0, 0, 0, 3, 96, 96)))
        using (var labels = classes.Crop(Box.FromZyx(0, 0, 0, 3, 96, 96)))
        {
            for (var i = 0; i < labels.Length; i++)
            {
                labels.Span[i] = (byte)(labels.Span[i] == 3 ? 1 : 0);
            }

            TiffWriter.Write(folder["raw.tif"], crop);
            TiffWriter.Write(folder["mito.tif"], labels);
        }

        string[] network = ["--feature-maps", "2", "--downsample", "1,2,2", "--kernel", "1,3,3", "--input-size", "1,36,36"];
        var (code, output, error) = CliRunner.Run(["semantic", "train", "--raw", folder["raw.tif"], "--labels", folder["mito.tif"], "--model", folder["mito.pth"], "--iterations", "4", "--augmentation", "flips", .. network]);
        Assert.True(code == 0, error);
        Assert.Contains("2 classes", output, StringComparison.Ordinal);
        Assert.Equal("4", File.ReadAllText(folder["mito.pth.step"]));
        (code, output, error) = CliRunner.Run(["semantic", "train", "--raw", folder["raw.tif"], "--labels", folder["mito.tif"], "--model", folder["mito.pth"], "--iterations", "6", .. network]);
        Assert.True(code == 0, error);
        Assert.Contains("resuming", output, StringComparison.Ordinal);
        Assert.Equal("6", File.ReadAllText(folder["mito.pth.step"]));

        string[] predict = ["semantic", "predict", "--model", folder["mito.pth"], "--downsample", "1,2,2", "--raw", folder["raw.tif"], "--out", folder["pred.zarr"], "--input-size", "1,36,36"];
        (code, output, error) = CliRunner.Run(predict);
        Assert.True(code == 0, error);
        var background = ZarrArray.Open(Path.Combine(folder["pred.zarr"], "prob_maps", "class_0"));
        var foreground = ZarrArray.Open(Path.Combine(folder["pred.zarr"], "prob_maps", "class_1"));
        var segmentation = ZarrArray.Open(Path.Combine(folder["pred.zarr"], "segmentation"));
        using var trained = SemanticUNet.Load(folder["mito.pth"], [new(1, 2, 2)]);
        var grid = SemanticBlockGrid.Create(Box.FromZyx(0, 0, 0, 3, 96, 96), (1, 36, 36), trained.GetOutputSize((1, 36, 36)));
        var covered = grid.Covered;
        var p0 = background.Read<float>(covered);
        var p1 = foreground.Read<float>(covered);
        var labelsRead = segmentation.Read<uint>(covered);
        Assert.All(Enumerable.Range(0, p0.Length), i => Assert.Equal(1f, p0[i] + p1[i], 5));
        Assert.All(Enumerable.Range(0, p0.Length), i => Assert.Equal(p1[i] > p0[i] ? 1u : 0u, labelsRead[i]));
        var blocks = File.ReadAllLines(Path.Combine(folder["pred.zarr"], "blocks_done.txt"));
        Assert.Equal(grid.Count, blocks.Length);
        Assert.Equal(grid.Count, blocks.Distinct().Count());

        (code, output, error) = CliRunner.Run(predict);
        Assert.True(code == 0, error);
        Assert.Contains($"resuming into {folder["pred.zarr"]}: {grid.Count} blocks already written", output, StringComparison.Ordinal);
        Assert.Equal(labelsRead, ZarrArray.Open(Path.Combine(folder["pred.zarr"], "segmentation")).Read<uint>(covered));

        var region = string.Join(',', covered.Start.Concat(covered.Size));
        (code, output, error) = CliRunner.Run("semantic", "evaluate", "--probabilities", Path.Combine(folder["pred.zarr"], "prob_maps", "class_1"), "--labels", folder["mito.tif"], "--region", region, "--border", "0");
        Assert.True(code == 0, error);
        Assert.Contains($"voxels_class_1 {covered.ElementCount}", output, StringComparison.Ordinal);
        (code, output, error) = CliRunner.Run(["semantic", "train", "--raw", folder["raw.tif"], "--labels", folder["mito.tif"], "--region", "0,0,0,2,96,96", "--model", folder["first.pth"], "--iterations", "2", .. network]);
        Assert.True(code == 0, error);
        Assert.Equal("2", File.ReadAllText(folder["first.pth.step"]));

        (code, _, error) = CliRunner.Run(["semantic", "predict", "--model", folder["mito.pth"], "--downsample", "1,2,2", "--raw", folder["raw.tif"], "--out", folder["pred.zarr"], "--input-size", "1,44,44"]);
        Assert.NotEqual(0, code);
        Assert.Contains("was not written by this prediction", error, StringComparison.Ordinal);
        (code, _, error) = CliRunner.Run(["semantic", "predict", "--model", folder["mito.pth"], "--downsample", "1,2,2", "--raw", folder["raw.tif"], "--out", folder["big.zarr"], "--input-size", "4,36,36"]);
        Assert.NotEqual(0, code);
        Assert.Contains("smaller than one input block", error, StringComparison.Ordinal);
    }
}
