using System.Numerics;
using CellVision.Core.Volumes;

namespace CellVision.Evaluation;

/// <summary>
/// Scores one class of a semantic segmentation from its probability map as incasem reports it
/// (<c>incasem/metrics/pairwise_distance_metric_thresholded.py</c>, <c>precision_recall.py</c>,
/// <c>05_evaluate_metric.py</c>): over the voxels inside the border crop where the mask and the metric mask are both
/// nonzero, the target is <c>label == class</c> and the prediction is <c>probability ≥ threshold</c>.
/// </summary>
/// <remarks>
/// <c>05_evaluate_metric.py</c> also multiplies the probabilities by the mask and ANDs the mask into the metric mask;
/// since only voxels inside the mask are counted, the product changes no count and is not formed. Thresholds are
/// rounded to float32 before the comparison, as NumPy compares a float32 array with a Python float. incasem's
/// <c>predict.py</c> takes precision and recall from the argmax of the two-channel softmax, which differs from the
/// threshold 0.5 only for probabilities of exactly 0.5 (argmax gives those to the background).
/// </remarks>
public static class SemanticEvaluator
{
    /// <summary>Scores one class at every threshold of <paramref name="options"/>.</summary>
    /// <typeparam name="TLabel">The labels' voxel type.</typeparam>
    /// <param name="probabilities">The class's probability (softmax) per voxel, Z, Y, X.</param>
    /// <param name="labels">The ground truth classes, the same shape.</param>
    /// <param name="classId">The class scored.</param>
    /// <param name="mask">Nonzero where the sample is (incasem's MASK), or null for everywhere.</param>
    /// <param name="metricMask">Nonzero where voxels count (incasem's METRIC_MASK, e.g. from the exclusion band), or null for everywhere.</param>
    /// <param name="options">Thresholds and border; null for the reference's 0.5 and 46 voxels.</param>
    /// <returns>One score per threshold, in the options' order.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the border leaves no voxel.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IReadOnlyList<SemanticScores> Evaluate<TLabel>(Volume<float> probabilities, Volume<TLabel> labels, long classId, Volume<byte>? mask = null, Volume<byte>? metricMask = null, SemanticEvaluationOptions? options = null)
        where TLabel : unmanaged, IBinaryInteger<TLabel>
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        options ??= new SemanticEvaluationOptions();
        options.Validate();
        CheckShape(probabilities.Shape, labels.Shape, nameof(labels), "labels");
        if (mask is not null)
        {
            CheckShape(probabilities.Shape, mask.Shape, nameof(mask), "mask");
        }

        if (metricMask is not null)
        {
            CheckShape(probabilities.Shape, metricMask.Shape, nameof(metricMask), "metric mask");
        }

        var border = options.Border;
        var (depth, height, width) = (probabilities.Depth, probabilities.Height, probabilities.Width);
        if (depth <= 2 * border || height <= 2 * border || width <= 2 * border)
        {
            throw new ArgumentException($"A border of {border} voxels per side leaves no voxel of a {depth}×{height}×{width} volume (Z×Y×X); give a smaller border.", nameof(options));
        }

        var thresholds = options.Thresholds.Select(t => (float)t).ToArray();
        var counts = new long[thresholds.Length, 3];
        long voxels = 0;
        var probability = probabilities.Span;
        var label = labels.Span;
        var sample = mask is null ? default : mask.Span;
        var metric = metricMask is null ? default : metricMask.Span;
        var target = TLabel.CreateTruncating(classId);
        var representable = long.CreateTruncating(target) == classId;
        for (var z = border; z < depth - border; z++)
        {
            for (var y = border; y < height - border; y++)
            {
                var row = ((z * height) + y) * width;
                for (var i = row + border; i < row + width - border; i++)
                {
                    if ((mask is not null && sample[i] == 0) || (metricMask is not null && metric[i] == 0))
                    {
                        continue;
                    }

                    voxels++;
                    var positive = representable && label[i] == target;
                    for (var t = 0; t < thresholds.Length; t++)
                    {
                        var predicted = probability[i] >= thresholds[t];
                        if (predicted && positive)
                        {
                            counts[t, 0]++;
                        }
                        else if (predicted)
                        {
                            counts[t, 1]++;
                        }
                        else if (positive)
                        {
                            counts[t, 2]++;
                        }
                    }
                }
            }
        }

        var scores = new SemanticScores[thresholds.Length];
        for (var t = 0; t < thresholds.Length; t++)
        {
            scores[t] = new SemanticScores
            {
                ClassId = classId,
                Threshold = options.Thresholds[t],
                Voxels = voxels,
                TruePositives = counts[t, 0],
                FalsePositives = counts[t, 1],
                FalseNegatives = counts[t, 2],
            };
        }

        return scores;
    }

    private static void CheckShape(long[] expected, long[] actual, string parameter, string name)
    {
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            throw new ArgumentException($"The probabilities are {string.Join('×', expected)} voxels (Z×Y×X) but the {name} {(name.EndsWith('s') ? "are" : "is")} {string.Join('×', actual)}; they must have the same shape.", parameter);
        }
    }
}
