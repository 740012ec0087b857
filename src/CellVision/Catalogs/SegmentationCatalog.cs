using CellVision.Core.Volumes;
using CellVision.Segmentation;

namespace CellVision;

/// <summary>Image preparation: contrast-limited adaptive histogram equalisation exactly as scikit-image computes it.</summary>
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
}
