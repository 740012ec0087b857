using System.Numerics;
using CellVision.Core.Volumes;
using CellVision.Evaluation;

namespace CellVision.Hosting;

/// <summary>
/// Scores instance segmentations against ground truth with the variation of information (split and merge, in bits) and
/// the adapted Rand error with its precision and recall, as scikit-image 0.19.3 computes them
/// (<see cref="SegmentationEvaluator"/>), using the registered <see cref="SegmentationEvaluationOptions"/>. The default
/// implementation is <see cref="SegmentationEvaluationService"/>.
/// </summary>
public interface ISegmentationEvaluationService
{
    /// <summary>The ignored labels and thread count in use.</summary>
    SegmentationEvaluationOptions Options { get; }

    /// <summary>Scores a label volume against the ground truth of the same shape.</summary>
    /// <typeparam name="TTruth">The ground truth's voxel type (any integer type).</typeparam>
    /// <typeparam name="TTest">The segmentation's voxel type (any integer type).</typeparam>
    /// <param name="groundTruth">The reference labels.</param>
    /// <param name="segmentation">The labels to score.</param>
    /// <param name="cancellationToken">Stops between blocks of voxels.</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    SegmentationScores Evaluate<TTruth, TTest>(Volume<TTruth> groundTruth, Volume<TTest> segmentation, CancellationToken cancellationToken = default)
        where TTruth : unmanaged, IBinaryInteger<TTruth>
        where TTest : unmanaged, IBinaryInteger<TTest>;
}
