using System.Globalization;
using CellVision.Core.Volumes;
using CellVision.Evaluation;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;
using CellVision.Segmentation;

namespace CellVision.Cli.Tests;

/// <summary><c>cellvision semantic metric-mask|evaluate</c> write and print what the library computes, on an em-drosophila-vnc-sstem crop.</summary>
public sealed class SemanticCommandTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static Volume<byte> Crop()
    {
        using var tiff = TiffFile.Open(SharedData.PathOf("em-drosophila-vnc-sstem", "labels_classes_zyx_uint8.tif"));
        using var classes = tiff.ReadStack<byte>();
        return classes.Crop(Box.FromZyx(0, 0, 0, 14, 64, 80));
    }

    [Fact]
    public void Metric_masks_from_tiff_and_from_zarr_block_by_block_equal_the_library()
    {
        using var labels = Crop();
        TiffWriter.Write(folder["labels.tif"], labels);
        var options = new MetricExclusionMaskOptions { InnerWidth = 2, OuterWidth = 3, ClassId = 3 };
        using var expected = MetricExclusionMask.Compute(labels, options);

        var (code, output, error) = CliRunner.Run("semantic", "metric-mask", "--labels", folder["labels.tif"], "--out", folder["mask.tif"], "--class", "3", "--inner-width", "2", "--outer-width", "3");
        Assert.True(code == 0, error);
        Assert.Contains($"excluded {expected.Span.Count(MetricExclusionMask.Excluded)} voxels", output, StringComparison.Ordinal);
        using (var tiff = TiffFile.Open(folder["mask.tif"]))
        using (var written = tiff.ReadStack<byte>())
        {
            Assert.Equal(expected.Span.ToArray(), written.Span.ToArray());
        }

        var wide = ZarrArray.Create<uint>(folder["labels.zarr"], [14, 64, 80], [8, 32, 32]);
        wide.Write<uint>(wide.Bounds, labels.Span.ToArray().Select(v => (uint)v).ToArray());
        new FunlibAttributes([50, 4, 4], [0, 40, 80]).WriteTo(wide);
        (code, _, error) = CliRunner.Run("semantic", "metric-mask", "--labels", folder["labels.zarr"], "--out", folder["mask.zarr"], "--class", "3", "--inner-width", "2", "--outer-width", "3", "--block", "5,24,40");
        Assert.True(code == 0, error);
        var zarr = ZarrArray.Open(folder["mask.zarr"]);
        Assert.Equal(expected.Span.ToArray(), zarr.Read<byte>(zarr.Bounds));
        Assert.Equal([50.0, 4, 4], FunlibAttributes.Read(zarr)!.Resolution);
        Assert.Empty(Directory.GetDirectories(folder.Path, "*.partial"));

        (code, _, error) = CliRunner.Run("semantic", "metric-mask", "--labels", folder["labels.tif"], "--out", folder["mask.tif"]);
        Assert.NotEqual(0, code);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
        (code, _, error) = CliRunner.Run("semantic", "metric-mask", "--labels", folder["labels.tif"], "--out", folder["zero.tif"], "--inner-width", "0");
        Assert.NotEqual(0, code);
        Assert.Contains("inner width", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_prints_the_librarys_scores_per_class_and_threshold()
    {
        using var labels = Crop();
        TiffWriter.Write(folder["labels.tif"], labels);
        var random = new Random(5);
        using var mito = new Volume<float>(14, 64, 80);
        using var membrane = new Volume<float>(14, 64, 80);
        for (var i = 0; i < mito.Length; i++)
        {
            mito.Span[i] = Math.Clamp((labels.Span[i] == 3 ? 0.5f : 0f) + (0.6f * random.NextSingle()), 0, 1);
            membrane.Span[i] = Math.Clamp((labels.Span[i] == 1 ? 0.4f : 0f) + (0.7f * random.NextSingle()), 0, 1);
        }

        ZarrArray.Create<float>(folder["mito.zarr"], [14, 64, 80], [14, 32, 32]).Write(mito);
        TiffWriter.Write(folder["membrane.tif"], membrane);
        using var metric = MetricExclusionMask.Compute(labels, new MetricExclusionMaskOptions { ClassId = 3, InnerWidth = 1, OuterWidth = 1 });
        TiffWriter.Write(folder["metric.tif"], metric);

        var (code, output, error) = CliRunner.Run("semantic", "evaluate", "--probabilities", $"{folder["mito.zarr"]},{folder["membrane.tif"]}", "--labels", folder["labels.tif"], "--class", "3,1", "--metric-mask", folder["metric.tif"], "--thresholds", "0.3,0.5", "--border", "2");
        Assert.True(code == 0, error);
        var printed = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().Split(' ')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        var options = new SemanticEvaluationOptions { Thresholds = [0.3, 0.5], Border = 2 };
        using var binaryMetric = new Volume<byte>(14, 64, 80);
        metric.Span.CopyTo(binaryMetric.Span);
        var scores = SemanticEvaluator.Evaluate(mito, labels, 3, null, binaryMetric, options).Concat(SemanticEvaluator.Evaluate(membrane, labels, 1, null, binaryMetric, options)).ToList();
        foreach (var score in scores)
        {
            var suffix = $"class_{score.ClassId}@{score.Threshold.ToString(CultureInfo.InvariantCulture)}";
            Assert.Equal(score.F1, printed[$"F1_{suffix}"]);
            Assert.Equal(score.Jaccard, printed[$"jaccard_{suffix}"]);
            Assert.Equal(score.Precision, printed[$"precision_{suffix}"]);
            Assert.Equal(score.Recall, printed[$"recall_{suffix}"]);
            Assert.Equal(score.TruePositives, printed[$"tp_{suffix}"]);
            Assert.Equal(score.Voxels, printed[$"voxels_{suffix}"]);
        }

        Assert.Equal((scores[0].F1 + scores[2].F1) / 2, printed["F1@0.3"], 12);
        Assert.InRange(printed["F1_class_3@0.5"], 0.05, 0.99);

        (code, output, error) = CliRunner.Run("semantic", "evaluate", "--probabilities", folder["mito.zarr"], "--labels", folder["labels.tif"], "--class", "3", "--border", "0");
        Assert.True(code == 0, error);
        Assert.StartsWith("F1 ", output, StringComparison.Ordinal);
        Assert.Equal(SemanticEvaluator.Evaluate(mito, labels, 3, options: new SemanticEvaluationOptions { Border = 0 })[0].F1, double.Parse(output.Split('\n')[1].Split(' ')[1], CultureInfo.InvariantCulture));

        (code, _, error) = CliRunner.Run("semantic", "evaluate", "--probabilities", folder["mito.zarr"], "--labels", folder["labels.tif"], "--class", "3,1");
        Assert.NotEqual(0, code);
        Assert.Contains("one probability volume per class", error, StringComparison.Ordinal);
        (code, _, error) = CliRunner.Run("semantic", "evaluate", "--probabilities", folder["mito.zarr"], "--labels", folder["labels.tif"]);
        Assert.NotEqual(0, code);
        Assert.Contains("border of 46", error, StringComparison.Ordinal);
    }
}
