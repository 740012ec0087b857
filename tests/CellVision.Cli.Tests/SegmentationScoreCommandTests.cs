using System.Globalization;
using CellVision.Core.Volumes;
using CellVision.Evaluation;
using CellVision.IO.Hdf5;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;

namespace CellVision.Cli.Tests;

public class SegmentationScoreCommandTests
{
    private static readonly Box Crop = Box.FromZyx(100, 60, 80, 40, 48, 56);

    [Fact]
    public void Fib25_crops_in_tiff_zarr_and_hdf5_print_the_library_scores_one_per_line()
    {
        using var folder = new TemporaryFolder();
        using var bodies = ReadCrop<ushort>(SharedData.PathOf("fib25-medulla-ts2", "derived", "gt_bodies_zyx_uint16.tif"));
        using var ffn = ReadCrop<uint>(SharedData.PathOf("fib25-medulla-ts2", "ffn-reference-result", "ffn_seg_zyx_uint32.tif"));
        TiffWriter.Write(folder["gt.tif"], bodies);
        TiffWriter.Write(folder["ffn.tif"], ffn);
        ZarrArray.Create<uint>(folder["ffn.zarr"], [.. ffn.Shape], [16, 32, 32]).Write(ffn);
        using (var hdf5 = Hdf5File.Create(folder["ffn.h5"]))
        {
            hdf5.CreateGroup("labels");
            hdf5.Write<long>("labels/ffn", ffn.Span.ToArray().Select(v => (long)v).ToArray(), ffn.Shape);
        }

        var expected = SegmentationEvaluator.Evaluate(bodies, ffn);
        var (code, output, error) = CliRunner.Run("segmentation-score", "--gt", folder["gt.tif"], "--seg", folder["ffn.tif"]);

        Assert.True(code == 0, error);
        var lines = Parse(output);
        Assert.Equal(["VOI_split", "VOI_merge", "VOI_sum", "ARAND", "ARAND_precision", "ARAND_recall", "gt_labels", "seg_labels", "voxels"], lines.Keys);
        Assert.Equal(expected.VoiSplit, lines["VOI_split"]);
        Assert.Equal(expected.VoiMerge, lines["VOI_merge"]);
        Assert.Equal(expected.VoiSum, lines["VOI_sum"]);
        Assert.Equal(expected.AdaptedRandError, lines["ARAND"]);
        Assert.Equal(expected.RandPrecision, lines["ARAND_precision"]);
        Assert.Equal(expected.RandRecall, lines["ARAND_recall"]);
        Assert.Equal(expected.SegmentationLabels, lines["seg_labels"]);
        Assert.Equal(40 * 48 * 56, lines["voxels"]);
        Assert.True(expected.VoiSplit > 0.1 && expected.VoiMerge > 0.1, "the crop should hold both errors");

        Assert.Equal(output, CliRunner.Run("segmentation-score", "--gt", folder["gt.tif"], "--seg", folder["ffn.zarr"]).Output);
        Assert.Equal(output, CliRunner.Run("segmentation-score", "--gt", folder["gt.tif"], "--seg", folder["ffn.h5"] + "/labels/ffn").Output);
    }

    [Fact]
    public void Ignored_labels_apply_to_both_measures_and_none_counts_every_voxel()
    {
        using var folder = new TemporaryFolder();
        using var ffn = ReadCrop<uint>(SharedData.PathOf("fib25-medulla-ts2", "ffn-reference-result", "ffn_seg_zyx_uint32.tif"));
        using var bodies = ReadCrop<ushort>(SharedData.PathOf("fib25-medulla-ts2", "derived", "gt_bodies_zyx_uint16.tif"));
        TiffWriter.Write(folder["ffn.tif"], ffn);
        TiffWriter.Write(folder["gt.tif"], bodies);

        // FFN's result as the truth: its label 0 (unsegmented voxels) is what the ignored labels change.
        var ignoring = Parse(CliRunner.Run("segmentation-score", "--gt", folder["ffn.tif"], "--seg", folder["gt.tif"], "--ignore-label", "0").Output);
        var counting = Parse(CliRunner.Run("segmentation-score", "--gt", folder["ffn.tif"], "--seg", folder["gt.tif"], "--ignore-label", "none").Output);
        var defaults = Parse(CliRunner.Run("segmentation-score", "--gt", folder["ffn.tif"], "--seg", folder["gt.tif"]).Output);

        var both = SegmentationEvaluator.Evaluate(ffn, bodies, SegmentationEvaluationOptions.IgnoringLabels(0));
        var none = SegmentationEvaluator.Evaluate(ffn, bodies, SegmentationEvaluationOptions.IgnoringLabels());
        Assert.Equal((both.VoiSplit, both.AdaptedRandError), (ignoring["VOI_split"], ignoring["ARAND"]));
        Assert.Equal((none.VoiSplit, none.AdaptedRandError), (counting["VOI_split"], counting["ARAND"]));
        Assert.Equal((none.VoiSplit, both.AdaptedRandError), (defaults["VOI_split"], defaults["ARAND"]));
        Assert.NotEqual(both.VoiSplit, none.VoiSplit);
        Assert.NotEqual(both.AdaptedRandError, none.AdaptedRandError);
    }

    [Fact]
    public void A_missing_file_a_shape_mismatch_and_bad_labels_fail_with_one_message()
    {
        using var folder = new TemporaryFolder();
        using var small = new Volume<byte>(2, 3, 4);
        using var other = new Volume<byte>(2, 3, 5);
        TiffWriter.Write(folder["a.tif"], small);
        TiffWriter.Write(folder["b.tif"], other);

        var missing = CliRunner.Run("segmentation-score", "--gt", folder["a.tif"], "--seg", folder["none.tif"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal($"error: '{folder["none.tif"]}' does not exist.", missing.Error.Trim());

        var mismatch = CliRunner.Run("segmentation-score", "--gt", folder["a.tif"], "--seg", folder["b.tif"]);
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Contains("2×3×4", mismatch.Error, StringComparison.Ordinal);
        Assert.Contains("2×3×5", mismatch.Error, StringComparison.Ordinal);
        Assert.Single(mismatch.Error.Trim().Split('\n'));
        Assert.Empty(mismatch.Output);

        var labels = CliRunner.Run("segmentation-score", "--gt", folder["a.tif"], "--seg", folder["a.tif"], "--ignore-label", "zero");
        Assert.Equal(2, labels.ExitCode);
        Assert.Contains("--ignore-label", labels.Error, StringComparison.Ordinal);

        var noDataset = CliRunner.Run("segmentation-score", "--gt", folder["a.tif"], "--seg", folder["x.h5"]);
        Assert.Equal(2, noDataset.ExitCode);
        Assert.Contains("name the dataset", noDataset.Error, StringComparison.Ordinal);
    }

    private static Volume<T> ReadCrop<T>(string path)
        where T : unmanaged
    {
        using var tiff = TiffFile.Open(path);
        using var whole = tiff.ReadStack<T>();
        return whole.Crop(Crop);
    }

    private static Dictionary<string, double> Parse(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture));
}
