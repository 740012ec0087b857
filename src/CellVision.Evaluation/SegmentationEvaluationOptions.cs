using System.Collections.ObjectModel;

namespace CellVision.Evaluation;

/// <summary>
/// Which ground truth labels <see cref="SegmentationEvaluator"/> leaves out of each measure. The defaults are
/// scikit-image's: <c>variation_of_information(..., ignore_labels=())</c> counts every voxel, while
/// <c>adapted_rand_error(..., ignore_labels=(0,))</c> leaves out the voxels labelled 0 in the ground truth.
/// </summary>
/// <remarks>
/// An ignored label removes the ground truth voxels that carry it, wherever the segmentation puts them; the
/// segmentation's own labels are never ignored (as in scikit-image, which masks the true image only). Labels are
/// compared as 64-bit signed integers, so a uint64 label above <see cref="long.MaxValue"/> is named by its two's
/// complement (e.g. −1 for 2⁶⁴ − 1).
/// </remarks>
public sealed record SegmentationEvaluationOptions
{
    private static readonly ReadOnlyCollection<long> None = new([]);
    private static readonly ReadOnlyCollection<long> Background = new([0]);

    /// <summary>Ground truth labels left out of the variation of information; none by default (scikit-image's <c>ignore_labels=()</c>).</summary>
    public IReadOnlyList<long> VariationOfInformationIgnoredLabels { get; init; } = None;

    /// <summary>Ground truth labels left out of the adapted Rand error, precision and recall; 0 by default (scikit-image's <c>ignore_labels=(0,)</c>).</summary>
    public IReadOnlyList<long> AdaptedRandIgnoredLabels { get; init; } = Background;

    /// <summary>Threads that count the voxel pairs; 0 or less for the number of processors.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>Options that leave the same ground truth labels out of every measure.</summary>
    /// <param name="labels">The labels to leave out; none to count every voxel.</param>
    /// <returns>The options.</returns>
    public static SegmentationEvaluationOptions IgnoringLabels(params long[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var copy = new ReadOnlyCollection<long>([.. labels]);
        return new SegmentationEvaluationOptions { VariationOfInformationIgnoredLabels = copy, AdaptedRandIgnoredLabels = copy };
    }

    /// <summary>Checks that both label lists are set.</summary>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentNullException">A list of ignored labels is null.</exception>
    public SegmentationEvaluationOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(VariationOfInformationIgnoredLabels, nameof(VariationOfInformationIgnoredLabels));
        ArgumentNullException.ThrowIfNull(AdaptedRandIgnoredLabels, nameof(AdaptedRandIgnoredLabels));
        return this;
    }
}
