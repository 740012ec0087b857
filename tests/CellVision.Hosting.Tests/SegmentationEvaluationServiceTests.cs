using CellVision.Core.Volumes;
using CellVision.Evaluation;
using Microsoft.Extensions.Logging;

namespace CellVision.Hosting.Tests;

/// <summary>The segmentation scoring service uses the configured ignored labels, gives the library's scores and logs them.</summary>
public class SegmentationEvaluationServiceTests
{
    [Fact]
    public void The_service_scores_with_the_configured_labels_as_the_library_and_the_catalog_do_and_logs_the_scores()
    {
        using var host = new TestHost(o => o.SegmentationEvaluation = SegmentationEvaluationOptions.IgnoringLabels(0, 9));
        using var truth = new Volume<ushort>(6, 20, 24);
        using var test = new Volume<int>(6, 20, 24);
        for (var i = 0; i < truth.Length; i++)
        {
            truth.Span[i] = (ushort)(i / 97 % 11);
            test.Span[i] = (i / 130 % 7) + ((i % 13) == 0 ? 100 : 0);
        }

        var service = host.Get<ISegmentationEvaluationService>();
        var scores = service.Evaluate(truth, test);

        Assert.Equal([0L, 9L], service.Options.AdaptedRandIgnoredLabels);
        Assert.Equal(SegmentationEvaluator.Evaluate(truth, test, SegmentationEvaluationOptions.IgnoringLabels(0, 9)), scores);
        Assert.Equal(scores, new CellVisionContext().Segmentation.Score(truth, test, service.Options));
        Assert.NotEqual(SegmentationEvaluator.Evaluate(truth, test), scores);
        Assert.Equal(truth.Span.ToArray().Count(v => v is not (0 or 9)), scores.AdaptedRandVoxels);

        var messages = host.Logs.Of<SegmentationEvaluationService>().Select(e => e.Message).ToList();
        Assert.Contains(messages, m => m == "Scoring a segmentation of 6×20×24 Int32 voxels against 6×20×24 UInt16 ground truth; VOI ignores true labels 0, 9, ARAND ignores 0, 9");
        Assert.Contains(messages, m => m.StartsWith(FormattableString.Invariant($"Scored 6×20×24 voxels: VOI split {scores.VoiSplit:F4}, merge {scores.VoiMerge:F4} bits; ARAND {scores.AdaptedRandError:F4} (precision {scores.RandPrecision:F4}, recall {scores.RandRecall:F4}); 11 true labels, 14 segments; in "), StringComparison.Ordinal));
        Assert.Empty(host.Logs.Of<SegmentationEvaluationService>(LogLevel.Warning));
    }

    [Fact]
    public void The_defaults_count_different_voxels_a_single_segment_and_an_all_ignored_truth_are_flagged()
    {
        using var host = new TestHost();
        using var truth = new Volume<byte>(2, 8, 8);
        using var single = new Volume<byte>(2, 8, 8);
        for (var i = 0; i < truth.Length; i++)
        {
            truth.Span[i] = (byte)(i % 3);
        }

        var service = host.Get<ISegmentationEvaluationService>();
        service.Evaluate(truth, single);
        var entries = host.Logs.Of<SegmentationEvaluationService>();
        Assert.Contains(entries, e => e.EventId.Id == 6002 && e.Message.Contains("VOI 128 and ARAND 85 of 128", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Level == LogLevel.Warning && e.EventId.Id == 6011);

        using var background = new Volume<byte>(2, 8, 8);
        var undefined = service.Evaluate(background, truth);
        Assert.True(double.IsNaN(undefined.AdaptedRandError));
        Assert.Contains(host.Logs.Of<SegmentationEvaluationService>(LogLevel.Warning), e => e.EventId.Id == 6010 && e.Message.Contains("adapted Rand error", StringComparison.Ordinal));
    }

    [Fact]
    public void Different_shapes_are_logged_as_an_error_and_rethrown()
    {
        using var host = new TestHost();
        using var truth = new Volume<byte>(2, 8, 8);
        using var test = new Volume<byte>(2, 8, 9);

        Assert.Throws<ArgumentException>(() => host.Get<ISegmentationEvaluationService>().Evaluate(truth, test));
        Assert.Contains(host.Logs.Of<SegmentationEvaluationService>(LogLevel.Error), e => e.EventId.Id == 6020 && e.Exception is ArgumentException);
    }
}
