using System.Numerics;
using CellVision.Core.Volumes;
using CellVision.Evaluation;
using CellVision.Segmentation;

namespace CellVision;

/// <summary>
/// Image preparation (contrast-limited adaptive histogram equalisation exactly as scikit-image computes it) and the
/// scores of an instance segmentation against ground truth (variation of information, adapted Rand error).
/// </summary>
public sealed class SegmentationCatalog
{
    internal SegmentationCatalog(CellVisionContext context) => ArgumentNullException.ThrowIfNull(context);

    /// <summary>
    /// CLAHE of a 16-bit volume (scikit-image's <c>equalize_adapthist</c>), returned as 16-bit intensities
    /// (<c>img_as_uint</c> of its result).
    /// </summary>
    /// <param name="volume">The volume.</param>
    /// <param name="options">Kernel size, clip limit, bins; null for scikit-image's defaults.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The equalised volume; the caller disposes it.</returns>
    public Volume<ushort> Clahe(Volume<ushort> volume, ClaheOptions? options = null, CancellationToken cancellationToken = default) =>
        Segmentation.Clahe.EqualizeToUInt16(volume, options, cancellationToken);

    /// <summary>CLAHE of a volume too large for memory, block by block from one chunked volume (e.g. a Zarr array) into another of the same shape.</summary>
    /// <param name="input">uint8 or uint16 voxels.</param>
    /// <param name="output">float64, uint16 or uint8 voxels, the input's shape.</param>
    /// <param name="options">Kernel size, clip limit, bins; null for scikit-image's defaults.</param>
    /// <param name="progress">Receives the blocks done and their count.</param>
    /// <param name="cancellationToken">Stops between blocks.</param>
    public void Clahe(IChunkedVolume input, IChunkedVolume output, ClaheOptions? options = null, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default) =>
        Segmentation.Clahe.Equalize(input, output, options, progress, cancellationToken);

    /// <summary>
    /// Scores a label volume against ground truth of the same shape: the variation of information split into
    /// H(segmentation | ground truth) and H(ground truth | segmentation) in bits, and the adapted Rand error with its
    /// precision and recall, as scikit-image 0.19.3's <c>variation_of_information</c> and <c>adapted_rand_error</c>
    /// compute them (<see cref="SegmentationEvaluator"/>).
    /// </summary>
    /// <typeparam name="TTruth">The ground truth's voxel type (any integer type).</typeparam>
    /// <typeparam name="TTest">The segmentation's voxel type (any integer type).</typeparam>
    /// <param name="groundTruth">The reference labels.</param>
    /// <param name="segmentation">The labels to score.</param>
    /// <param name="options">The ground truth labels each measure ignores; null for scikit-image's defaults (none for VOI, 0 for the adapted Rand error).</param>
    /// <param name="cancellationToken">Stops between blocks of voxels.</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public SegmentationScores Score<TTruth, TTest>(Volume<TTruth> groundTruth, Volume<TTest> segmentation, SegmentationEvaluationOptions? options = null, CancellationToken cancellationToken = default)
        where TTruth : unmanaged, IBinaryInteger<TTruth>
        where TTest : unmanaged, IBinaryInteger<TTest> =>
        SegmentationEvaluator.Evaluate(groundTruth, segmentation, options, cancellationToken);
}
