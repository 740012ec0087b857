using CellVision.Core.Volumes;

namespace CellVision.Evaluation.Tests.Evaluation;

/// <summary>Arguments, options and the invariances of the segmentation measures (their values: <see cref="SegmentationGoldenTests"/>).</summary>
public sealed class SegmentationEvaluatorTests
{
    [Fact]
    public void Volumes_of_different_shapes_are_refused_with_both_shapes_named()
    {
        using var truth = new Volume<ushort>(4, 5, 6);
        using var test = new Volume<uint>(4, 5, 7);

        var exception = Assert.Throws<ArgumentException>(() => SegmentationEvaluator.Evaluate(truth, test));

        Assert.Equal("segmentation", exception.ParamName);
        Assert.Contains("4×5×6", exception.Message, StringComparison.Ordinal);
        Assert.Contains("4×5×7", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spans_of_different_lengths_are_refused()
    {
        var exception = Assert.Throws<ArgumentException>(() => SegmentationEvaluator.Evaluate<byte, byte>(new byte[10], new byte[11]));
        Assert.Contains("10", exception.Message, StringComparison.Ordinal);
        Assert.Contains("11", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_default_to_scikit_images_ignored_labels_and_validate()
    {
        var defaults = new SegmentationEvaluationOptions();
        Assert.Empty(defaults.VariationOfInformationIgnoredLabels);
        Assert.Equal([0L], defaults.AdaptedRandIgnoredLabels);
        Assert.Equal(defaults, new SegmentationEvaluationOptions());

        var both = SegmentationEvaluationOptions.IgnoringLabels(0, 7);
        Assert.Equal([0L, 7L], both.VariationOfInformationIgnoredLabels);
        Assert.Equal([0L, 7L], both.AdaptedRandIgnoredLabels);
        Assert.Empty(SegmentationEvaluationOptions.IgnoringLabels().AdaptedRandIgnoredLabels);

        Assert.Throws<ArgumentNullException>(() => (defaults with { AdaptedRandIgnoredLabels = null! }).Validate());
        Assert.Throws<ArgumentNullException>(() => SegmentationEvaluator.Evaluate<byte, byte>(new byte[3], new byte[3], defaults with { VariationOfInformationIgnoredLabels = null! }));
    }

    [Fact]
    public void Scores_depend_only_on_the_partitions_whatever_the_label_values_and_types()
    {
        // Small labels take the packed 64-bit path; the same partitions with labels spread over all 64 bits take the
        // hash path. Both must give the same numbers, and so must every thread count.
        var random = new Random(3);
        var truth = new byte[40_000];
        var test = new ushort[truth.Length];
        for (var i = 0; i < truth.Length; i++)
        {
            truth[i] = (byte)(i / 7 % 13 == 0 ? 0 : 1 + random.Next(20));
            test[i] = (ushort)random.Next(9);
        }

        var options = SegmentationEvaluationOptions.IgnoringLabels(0);
        var small = SegmentationEvaluator.Evaluate<byte, ushort>(truth, test, options);
        var wideTruth = truth.Select(t => t == 0 ? 0UL : (ulong)t * 0x0F00_0000_0000_0001UL).ToArray();
        var wideTest = test.Select(s => (long)s * -0x0700_0000_0000_0003L).ToArray();
        var wide = SegmentationEvaluator.Evaluate<ulong, long>(wideTruth, wideTest, options with { MaxDegreeOfParallelism = 1 });

        Assert.Equal(small.VoiSplit, wide.VoiSplit, 1e-15);
        Assert.Equal(small.VoiMerge, wide.VoiMerge, 1e-15);
        Assert.Equal(small.AdaptedRandError, wide.AdaptedRandError, 1e-15);
        Assert.Equal(small.RandPrecision, wide.RandPrecision, 1e-15);
        Assert.Equal(small.RandRecall, wide.RandRecall, 1e-15);
        Assert.Equal((40_000L, truth.Distinct().Count(), test.Distinct().Count()), (small.Voxels, small.GroundTruthLabels, small.SegmentationLabels));
        Assert.Equal((wide.GroundTruthLabels, wide.SegmentationLabels), (small.GroundTruthLabels, small.SegmentationLabels));
        Assert.Equal(truth.Count(t => t != 0), small.AdaptedRandVoxels);
        Assert.Equal(small.AdaptedRandVoxels, small.VariationOfInformationVoxels);
    }

    [Fact]
    public void Swapping_the_volumes_swaps_split_with_merge_and_precision_with_recall()
    {
        var random = new Random(11);
        var a = Enumerable.Range(0, 5000).Select(i => (uint)(1 + (i / 10) + (random.Next(20) == 0 ? 1000 : 0))).ToArray();
        var b = Enumerable.Range(0, 5000).Select(i => (uint)(1 + (i / 100))).ToArray();
        var forward = SegmentationEvaluator.Evaluate<uint, uint>(a, b);
        var backward = SegmentationEvaluator.Evaluate<uint, uint>(b, a);

        Assert.Equal(forward.VoiSplit, backward.VoiMerge, 1e-12);
        Assert.Equal(forward.VoiMerge, backward.VoiSplit, 1e-12);
        Assert.Equal(forward.RandPrecision, backward.RandRecall, 1e-12);
        Assert.Equal(forward.AdaptedRandError, backward.AdaptedRandError, 1e-12);
        Assert.True(forward.VoiMerge > forward.VoiSplit, "b merges runs of a: it should be merge-heavy");
        Assert.True(forward.RandPrecision < forward.RandRecall, "b merges: its precision should be the lower");
    }

    [Fact]
    public void A_cancelled_token_stops_the_count()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => SegmentationEvaluator.Evaluate<int, int>(new int[100], new int[100], cancellationToken: cancelled.Token));
    }
}
