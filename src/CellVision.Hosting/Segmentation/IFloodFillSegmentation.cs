using CellVision.Core.Volumes;
using CellVision.Segmentation;

namespace CellVision.Hosting;

/// <summary>
/// Flood-filling network inference as a service, with the registered <see cref="FloodFillInferenceOptions"/> (options
/// section <c>FloodFillInference</c>). The default implementation is <see cref="FloodFillSegmentation"/>.
/// </summary>
public interface IFloodFillSegmentation
{
    /// <summary>The settings in use.</summary>
    FloodFillInferenceOptions Options { get; }

    /// <summary>Segments an EM volume with saved weights (<c>cellvision ffn train</c> or <c>ffn import</c>).</summary>
    /// <param name="image">The raw 8-bit image.</param>
    /// <param name="modelPath">The network's weights (<c>.pth</c>).</param>
    /// <param name="allowed">Where seeds and field-of-view centres may go; null for everywhere.</param>
    /// <param name="progress">Receives a report after every seed.</param>
    /// <param name="cancellationToken">Checked before every network step.</param>
    /// <returns>The labels, objects and seed outcomes; the caller disposes it.</returns>
    FloodFillResult Segment(Volume<byte> image, string modelPath, Volume<bool>? allowed = null, IProgress<FloodFillProgress>? progress = null, CancellationToken cancellationToken = default);
}
