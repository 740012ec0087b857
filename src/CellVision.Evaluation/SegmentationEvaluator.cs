using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using CellVision.Core.Volumes;

namespace CellVision.Evaluation;

/// <summary>
/// Scores a label volume (the segmentation) against a reference label volume (the ground truth) of the same shape with
/// the variation of information and the adapted Rand error, as scikit-image 0.19.3's
/// <c>skimage.metrics.variation_of_information(gt, seg)</c> and <c>adapted_rand_error(gt, seg)</c> compute them.
/// </summary>
/// <remarks>
/// <para>Both measures come from the contingency table nᵢⱼ, the voxels with true label i and segment j, over the
/// voxels whose true label is not ignored (N of them; nᵢ and nⱼ are its row and column sums). With pᵢⱼ = nᵢⱼ/N:
/// VOI split = H(seg | gt) = −Σ pᵢⱼ log₂(nᵢⱼ/nᵢ) and VOI merge = H(gt | seg) = −Σ pᵢⱼ log₂(nᵢⱼ/nⱼ), in bits
/// (Meilă 2007); scikit-image returns them in this order, "false splits, false merges". The adapted Rand error
/// (SNEMI3D, Arganda-Carreras et al. 2015) is 1 − 2PR/(P + R) with P = (Σ nᵢⱼ² − N)/(Σ nⱼ² − N) and
/// R = (Σ nᵢⱼ² − N)/(Σ nᵢ² − N), counts of voxel pairs that share a label.</para>
/// <para>Which voxels count follows scikit-image: the variation of information counts every voxel, the adapted Rand
/// error leaves out the voxels labelled 0 in the ground truth; <see cref="SegmentationEvaluationOptions"/> changes
/// both. Label 0 of the segmentation is an ordinary segment. A score that is 0/0 for the voxels counted is NaN, as in
/// scikit-image: both halves of the variation of information when every voxel is ignored, the Rand scores when no two
/// counted voxels share a true label (or a segment).</para>
/// <para>One difference: scikit-image 0.19.3's code divides its "precision" by the pairs that share a true label and
/// its "recall" by the pairs that share a segment, the reverse of its docstring and of SNEMI3D (scikit-image issue
/// 6485). <see cref="SegmentationScores.RandPrecision"/> and <see cref="SegmentationScores.RandRecall"/> follow the
/// definition, so they are scikit-image's second and third values swapped; the error is the same.</para>
/// <para>Any integer voxel type works (byte to ulong, signed or not), and the two volumes may differ in type. The
/// table is built in one pass on several threads, one dictionary update per run of equal label pairs along X.</para>
/// </remarks>
public static class SegmentationEvaluator
{
    /// <summary>Scores a segmentation against the ground truth.</summary>
    /// <typeparam name="TTruth">The ground truth's voxel type.</typeparam>
    /// <typeparam name="TTest">The segmentation's voxel type.</typeparam>
    /// <param name="groundTruth">The reference labels.</param>
    /// <param name="segmentation">The labels to score, the same shape.</param>
    /// <param name="options">The labels each measure ignores; null for scikit-image's defaults.</param>
    /// <param name="cancellationToken">Stops between blocks of voxels.</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentNullException">A volume is null, or a list of ignored labels is.</exception>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their first two parameters (volumes or spans), so a call never binds ambiguously.")]
    public static SegmentationScores Evaluate<TTruth, TTest>(Volume<TTruth> groundTruth, Volume<TTest> segmentation, SegmentationEvaluationOptions? options = null, CancellationToken cancellationToken = default)
        where TTruth : unmanaged, IBinaryInteger<TTruth>
        where TTest : unmanaged, IBinaryInteger<TTest>
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(segmentation);
        if (groundTruth.Depth != segmentation.Depth || groundTruth.Height != segmentation.Height || groundTruth.Width != segmentation.Width)
        {
            throw new ArgumentException(
                $"The ground truth is {ShapeText(groundTruth.Shape)} voxels (Z×Y×X) but the segmentation is {ShapeText(segmentation.Shape)}; they must have the same shape.",
                nameof(segmentation));
        }

        return Evaluate((ReadOnlySpan<TTruth>)groundTruth.Span, (ReadOnlySpan<TTest>)segmentation.Span, options, cancellationToken);
    }

    /// <summary>Scores a segmentation against the ground truth, both given as voxels in the same order (e.g. Z, Y, X).</summary>
    /// <typeparam name="TTruth">The ground truth's voxel type.</typeparam>
    /// <typeparam name="TTest">The segmentation's voxel type.</typeparam>
    /// <param name="groundTruth">The reference labels.</param>
    /// <param name="segmentation">The labels to score, as many.</param>
    /// <param name="options">The labels each measure ignores; null for scikit-image's defaults.</param>
    /// <param name="cancellationToken">Stops between blocks of voxels.</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentNullException">A list of ignored labels is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their first two parameters (volumes or spans), so a call never binds ambiguously.")]
    public static SegmentationScores Evaluate<TTruth, TTest>(ReadOnlySpan<TTruth> groundTruth, ReadOnlySpan<TTest> segmentation, SegmentationEvaluationOptions? options = null, CancellationToken cancellationToken = default)
        where TTruth : unmanaged, IBinaryInteger<TTruth>
        where TTest : unmanaged, IBinaryInteger<TTest>
    {
        options = (options ?? new SegmentationEvaluationOptions()).Validate();
        if (groundTruth.Length != segmentation.Length)
        {
            throw new ArgumentException($"The ground truth holds {groundTruth.Length} voxels but the segmentation {segmentation.Length}; they must hold as many.", nameof(segmentation));
        }

        var table = LabelContingency.Count(groundTruth, segmentation, options.MaxDegreeOfParallelism, cancellationToken);
        var information = Marginals.Of(table, options.VariationOfInformationIgnoredLabels);
        var rand = Marginals.Of(table, options.AdaptedRandIgnoredLabels);
        var (split, merge) = VariationOfInformation(table, information);
        var (error, precision, recall) = AdaptedRand(table, rand);
        return new SegmentationScores
        {
            VoiSplit = split,
            VoiMerge = merge,
            AdaptedRandError = error,
            RandPrecision = precision,
            RandRecall = recall,
            Voxels = groundTruth.Length,
            GroundTruthLabels = table.TruthLabelCount,
            SegmentationLabels = table.TestLabelCount,
            VariationOfInformationVoxels = information.Voxels,
            AdaptedRandVoxels = rand.Voxels,
        };
    }

    /// <summary>H(seg | gt) and H(gt | seg) in bits; NaN when no voxel counts.</summary>
    private static (double Split, double Merge) VariationOfInformation(LabelContingency table, Marginals marginals)
    {
        if (marginals.Voxels == 0)
        {
            return (double.NaN, double.NaN);
        }

        // nᵢⱼ·log₂(nᵢ/nᵢⱼ) as log1p of an exact integer ratio keeps its accuracy when nᵢⱼ is close to nᵢ.
        double split = 0, merge = 0;
        var counts = table.Counts;
        for (var k = 0; k < counts.Length; k++)
        {
            if (marginals.Counted[k])
            {
                double count = counts[k];
                split += count * LogOnePlus((marginals.RowSizes[k] - counts[k]) / count);
                merge += count * LogOnePlus((marginals.ColumnSizes[k] - counts[k]) / count);
            }
        }

        var scale = 1 / (marginals.Voxels * Math.Log(2));
        return (split * scale, merge * scale);
    }

    /// <summary>The adapted Rand error, precision and recall (SNEMI3D definitions).</summary>
    private static (double Error, double Precision, double Recall) AdaptedRand(LabelContingency table, Marginals marginals)
    {
        // Pair counts as Σ n² − N, exact in 64 bits: N is below 2³¹, so N² is below 2⁶².
        long joint = 0, truth = 0, test = 0;
        var counts = table.Counts;
        for (var k = 0; k < counts.Length; k++)
        {
            if (marginals.Counted[k])
            {
                joint += counts[k] * counts[k];
            }
        }

        foreach (var size in marginals.DistinctRowSizes)
        {
            truth += size * size;
        }

        foreach (var size in marginals.DistinctColumnSizes)
        {
            test += size * size;
        }

        var n = marginals.Voxels;
        var precision = (double)(joint - n) / (test - n);
        var recall = (double)(joint - n) / (truth - n);

        // In scikit-image's operand order (its precision is this recall), so the error matches it bit for bit while its float sums are exact.
        var fScore = 2.0 * recall * precision / (recall + precision);
        return (1.0 - fScore, precision, recall);
    }

    /// <summary>ln(1 + x) to a few ulps for small x (Goldberg 1991, theorem 4), which <c>Math.Log(1 + x)</c> is not.</summary>
    private static double LogOnePlus(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    private static string ShapeText(long[] shape) => string.Join('×', shape);

    /// <summary>For the voxels whose true label is not ignored: which pairs count, and each pair's row and column sums.</summary>
    private sealed class Marginals
    {
        private Marginals(int pairs)
        {
            Counted = new bool[pairs];
            RowSizes = new long[pairs];
            ColumnSizes = new long[pairs];
        }

        internal bool[] Counted { get; }

        internal long[] RowSizes { get; }

        internal long[] ColumnSizes { get; }

        internal List<long> DistinctRowSizes { get; } = [];

        internal List<long> DistinctColumnSizes { get; } = [];

        internal long Voxels { get; private set; }

        internal static Marginals Of(LabelContingency table, IReadOnlyList<long> ignoredLabels)
        {
            var ignored = ignoredLabels.ToHashSet();
            var truth = table.Truth;
            var test = table.Test;
            var counts = table.Counts;
            var marginals = new Marginals(counts.Length);
            foreach (var (start, end) in Runs(counts.Length, i => truth[i]))
            {
                if (ignored.Contains(truth[start]))
                {
                    continue;
                }

                long row = 0;
                for (var p = start; p < end; p++)
                {
                    row += counts[p];
                }

                marginals.DistinctRowSizes.Add(row);
                marginals.Voxels += row;
                for (var p = start; p < end; p++)
                {
                    marginals.Counted[p] = true;
                    marginals.RowSizes[p] = row;
                }
            }

            var byTest = table.ByTest;
            foreach (var (start, end) in Runs(counts.Length, i => test[byTest[i]]))
            {
                long column = 0;
                for (var i = start; i < end; i++)
                {
                    column += marginals.Counted[byTest[i]] ? counts[byTest[i]] : 0;
                }

                marginals.DistinctColumnSizes.Add(column);
                for (var i = start; i < end; i++)
                {
                    marginals.ColumnSizes[byTest[i]] = column;
                }
            }

            return marginals;
        }

        /// <summary>The [start, end) ranges of equal labels in a sequence where equal labels are adjacent.</summary>
        private static IEnumerable<(int Start, int End)> Runs(int length, Func<int, long> label)
        {
            var start = 0;
            while (start < length)
            {
                var end = start + 1;
                var value = label(start);
                while (end < length && label(end) == value)
                {
                    end++;
                }

                yield return (start, end);
                start = end;
            }
        }
    }
}
