namespace CellVision.Evaluation;

/// <summary>
/// How a label volume (the segmentation) agrees with a reference label volume (the ground truth): the two halves of the
/// variation of information and the adapted Rand error with its precision and recall, as scikit-image 0.19.3 computes
/// them (see <see cref="SegmentationEvaluator"/>). A score that is undefined for the voxels counted (0/0) is NaN, as it
/// is in scikit-image.
/// </summary>
public sealed record SegmentationScores
{
    /// <summary>
    /// The split half of the variation of information, H(segmentation | ground truth) in bits: how much one must learn
    /// about a voxel's segment once its true object is known. It is 0 when no true object is split; an
    /// oversegmentation is split-heavy. scikit-image's <c>variation_of_information(gt, seg)[0]</c>.
    /// </summary>
    public double VoiSplit { get; init; }

    /// <summary>
    /// The merge half of the variation of information, H(ground truth | segmentation) in bits: 0 when no segment merges
    /// two true objects. scikit-image's <c>variation_of_information(gt, seg)[1]</c>.
    /// </summary>
    public double VoiMerge { get; init; }

    /// <summary>The variation of information, <see cref="VoiSplit"/> + <see cref="VoiMerge"/> in bits.</summary>
    public double VoiSum => VoiSplit + VoiMerge;

    /// <summary>The adapted Rand error (SNEMI3D), 1 − 2·P·R/(P + R) with P = <see cref="RandPrecision"/> and R = <see cref="RandRecall"/>; scikit-image's <c>adapted_rand_error(gt, seg)[0]</c>.</summary>
    public double AdaptedRandError { get; init; }

    /// <summary>
    /// The adapted Rand precision: of the voxel pairs that share a segment, the fraction that also share a true object
    /// (1 when nothing is merged). The SNEMI3D definition, which scikit-image's docstring states; scikit-image 0.19.3's
    /// code returns this value third, as its recall (its <c>adapted_rand_error(gt, seg)[2]</c>).
    /// </summary>
    public double RandPrecision { get; init; }

    /// <summary>
    /// The adapted Rand recall: of the voxel pairs that share a true object, the fraction that also share a segment
    /// (1 when nothing is split). scikit-image 0.19.3's code returns this value second, as its precision (its
    /// <c>adapted_rand_error(gt, seg)[1]</c>).
    /// </summary>
    public double RandRecall { get; init; }

    /// <summary>Voxels compared (every voxel, ignored ones included).</summary>
    public long Voxels { get; init; }

    /// <summary>Distinct labels in the ground truth, ignored ones included.</summary>
    public int GroundTruthLabels { get; init; }

    /// <summary>Distinct labels in the segmentation.</summary>
    public int SegmentationLabels { get; init; }

    /// <summary>Voxels counted by the variation of information (those whose true label it does not ignore).</summary>
    public long VariationOfInformationVoxels { get; init; }

    /// <summary>Voxels counted by the adapted Rand error (those whose true label it does not ignore).</summary>
    public long AdaptedRandVoxels { get; init; }
}
