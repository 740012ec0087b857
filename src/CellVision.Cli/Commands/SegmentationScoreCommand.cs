using System.CommandLine;
using System.Globalization;
using System.Numerics;
using CellVision.Core.Volumes;
using CellVision.Evaluation;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary>
/// <c>cellvision segmentation-score --gt GT --seg SEG [--ignore-label L ...]</c>: the variation of information and the
/// adapted Rand error of a label volume against ground truth, one <c>name value</c> line each.
/// </summary>
internal static class SegmentationScoreCommand
{
    internal static Command Create(CommandContext context)
    {
        var groundTruth = new Option<string>("--gt") { Description = "Ground truth labels: TIFF, Zarr, OME-Zarr, file.h5/dataset, or any format convert reads", Required = true };
        var segmentation = new Option<string>("--seg") { Description = "Labels to score, the same shape and formats", Required = true };
        var ignore = new Option<string[]>("--ignore-label")
        {
            Description = "Ground truth labels that no measure counts ('none' counts every voxel) [default: as scikit-image, VOI counts every voxel and ARAND ignores 0]",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("segmentation-score", "Score a label volume against ground truth: variation of information (split, merge; bits) and adapted Rand error, as scikit-image 0.19.3 computes them")
        {
            groundTruth, segmentation, ignore,
        };
        command.SetAction(parse => context.Guard(() =>
        {
            var options = new SegmentationEvaluationOptions();
            if (parse.GetValue(ignore) is { Length: > 0 } labels)
            {
                var parsed = ParseLabels(labels);
                if (parsed is null)
                {
                    return context.Fail($"--ignore-label takes integers or 'none', not '{string.Join(' ', labels)}'.");
                }

                options = SegmentationEvaluationOptions.IgnoringLabels(parsed);
            }

            using var truth = LabelVolumeFiles.Read(parse.GetValue(groundTruth)!, context.CancellationToken);
            using var test = LabelVolumeFiles.Read(parse.GetValue(segmentation)!, context.CancellationToken);
            if (truth.Shape != test.Shape)
            {
                return context.Fail($"the ground truth '{truth.Source}' is {truth.ShapeText} voxels (Z×Y×X) but the segmentation '{test.Source}' is {test.ShapeText}; they must have the same shape.");
            }

            var scores = truth.Accept(new TruthVisitor(test, options, context.CancellationToken));
            foreach (var (name, value) in new (string, object)[]
            {
                ("VOI_split", scores.VoiSplit), ("VOI_merge", scores.VoiMerge), ("VOI_sum", scores.VoiSum),
                ("ARAND", scores.AdaptedRandError), ("ARAND_precision", scores.RandPrecision), ("ARAND_recall", scores.RandRecall),
                ("gt_labels", scores.GroundTruthLabels), ("seg_labels", scores.SegmentationLabels), ("voxels", scores.Voxels),
            })
            {
                context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {(value is double d ? d.ToString("R", CultureInfo.InvariantCulture) : value)}"));
            }

            return 0;
        }));
        return command;
    }

    /// <summary>The labels, or an empty list for "none"; null when a token is neither.</summary>
    private static long[]? ParseLabels(string[] tokens)
    {
        if (tokens is ["none"])
        {
            return [];
        }

        var labels = new long[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!long.TryParse(tokens[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out labels[i]))
            {
                return null;
            }
        }

        return labels;
    }

    /// <summary>Takes the ground truth in its voxel type, then the segmentation in its own.</summary>
    private sealed class TruthVisitor(LabelVolume test, SegmentationEvaluationOptions options, CancellationToken cancellationToken) : ILabelVolumeVisitor<SegmentationScores>
    {
        public SegmentationScores Visit<T>(Volume<T> volume)
            where T : unmanaged, IBinaryInteger<T> => test.Accept(new TestVisitor<T>(volume, options, cancellationToken));
    }

    private sealed class TestVisitor<TTruth>(Volume<TTruth> truth, SegmentationEvaluationOptions options, CancellationToken cancellationToken) : ILabelVolumeVisitor<SegmentationScores>
        where TTruth : unmanaged, IBinaryInteger<TTruth>
    {
        public SegmentationScores Visit<T>(Volume<T> volume)
            where T : unmanaged, IBinaryInteger<T> => SegmentationEvaluator.Evaluate(truth, volume, options, cancellationToken);
    }
}
