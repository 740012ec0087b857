using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using CellVision.Core.Diagnostics;
using CellVision.Core.Volumes;
using CellVision.Evaluation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CellVision.Hosting;

/// <summary>
/// <see cref="ISegmentationEvaluationService"/> over <see cref="SegmentationEvaluator"/>. Logs each evaluation (shape,
/// ignored labels, every score, the label counts, milliseconds) and notes when the two measures count different
/// voxels; warns about scores that are undefined for the voxels counted (NaN) and about a segmentation that is one
/// segment; logs failures (such as volumes of different shapes) as errors.
/// </summary>
public sealed partial class SegmentationEvaluationService : ISegmentationEvaluationService
{
    private readonly ILogger<SegmentationEvaluationService> logger;

    /// <summary>Creates the service.</summary>
    /// <param name="options">The labels each measure ignores.</param>
    /// <param name="logger">Receives the operations.</param>
    public SegmentationEvaluationService(IOptions<SegmentationEvaluationOptions> options, ILogger<SegmentationEvaluationService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        Options = options.Value;
        this.logger = logger;
    }

    /// <inheritdoc />
    public SegmentationEvaluationOptions Options { get; }

    /// <inheritdoc />
    public SegmentationScores Evaluate<TTruth, TTest>(Volume<TTruth> groundTruth, Volume<TTest> segmentation, CancellationToken cancellationToken = default)
        where TTruth : unmanaged, IBinaryInteger<TTruth>
        where TTest : unmanaged, IBinaryInteger<TTest>
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(segmentation);
        var start = Stopwatch.GetTimestamp();
        var shape = Describe.Shape(segmentation);
        Log.Evaluating(logger, shape, typeof(TTest).Name, Describe.Shape(groundTruth), typeof(TTruth).Name, Labels(Options.VariationOfInformationIgnoredLabels), Labels(Options.AdaptedRandIgnoredLabels));
        try
        {
            var scores = SegmentationEvaluator.Evaluate(groundTruth, segmentation, Options, cancellationToken);
            Log.Evaluated(logger, shape, scores.VoiSplit, scores.VoiMerge, scores.AdaptedRandError, scores.RandPrecision, scores.RandRecall,
                scores.GroundTruthLabels, scores.SegmentationLabels, Describe.Milliseconds(start));
            if (scores.VariationOfInformationVoxels != scores.AdaptedRandVoxels)
            {
                Log.DifferentVoxels(logger, scores.VariationOfInformationVoxels, scores.AdaptedRandVoxels, scores.Voxels);
            }

            if (scores.VariationOfInformationVoxels == 0)
            {
                Log.NothingCounted(logger, "variation of information");
            }

            if (double.IsNaN(scores.AdaptedRandError))
            {
                Log.NothingCounted(logger, "adapted Rand error");
            }

            if (scores.SegmentationLabels == 1 && scores.GroundTruthLabels > 1)
            {
                Log.OneSegment(logger, scores.GroundTruthLabels);
            }

            return scores;
        }
        catch (OperationCanceledException)
        {
            Log.Cancelled(logger, shape);
            throw;
        }
        catch (Exception exception)
        {
            Log.Failed(logger, exception, shape, Describe.Shape(groundTruth));
            throw;
        }
    }

    private static string Labels(IReadOnlyList<long> labels) =>
        labels.Count == 0 ? "none" : string.Join(", ", labels.Select(l => l.ToString(CultureInfo.InvariantCulture)));

    private static partial class Log
    {
        [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Scoring a segmentation of {Shape} {TestType} voxels against {TruthShape} {TruthType} ground truth; VOI ignores true labels {VoiIgnored}, ARAND ignores {RandIgnored}")]
        public static partial void Evaluating(ILogger logger, string shape, string testType, string truthShape, string truthType, string voiIgnored, string randIgnored);

        [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Scored {Shape} voxels: VOI split {Split:F4}, merge {Merge:F4} bits; ARAND {Error:F4} (precision {Precision:F4}, recall {Recall:F4}); {TruthLabels} true labels, {Segments} segments; in {ElapsedMs:F0} ms")]
        public static partial void Evaluated(ILogger logger, string shape, double split, double merge, double error, double precision, double recall, int truthLabels, int segments, double elapsedMs);

        [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "The measures count different voxels: VOI {VoiVoxels} and ARAND {RandVoxels} of {Voxels} (their ignored labels differ, as in scikit-image's defaults)")]
        public static partial void DifferentVoxels(ILogger logger, long voiVoxels, long randVoxels, long voxels);

        [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "The {Measure} is undefined (NaN): its ignored labels leave no voxels, or no two counted voxels share a label")]
        public static partial void NothingCounted(ILogger logger, string measure);

        [LoggerMessage(EventId = 6011, Level = LogLevel.Warning, Message = "The segmentation is one segment over {TruthLabels} true labels: is it a label volume?")]
        public static partial void OneSegment(ILogger logger, int truthLabels);

        [LoggerMessage(EventId = 6020, Level = LogLevel.Error, Message = "Scoring a segmentation of {Shape} voxels against {TruthShape} ground truth failed")]
        public static partial void Failed(ILogger logger, Exception exception, string shape, string truthShape);

        [LoggerMessage(EventId = 6021, Level = LogLevel.Information, Message = "Scoring a segmentation of {Shape} voxels was cancelled")]
        public static partial void Cancelled(ILogger logger, string shape);
    }
}
