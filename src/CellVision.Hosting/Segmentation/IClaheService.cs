using CellVision.Core.Volumes;
using CellVision.IO.Movies;
using CellVision.Segmentation;

namespace CellVision.Hosting;

/// <summary>
/// Contrast-limited adaptive histogram equalisation of 3-D volumes, bit-exact with scikit-image's
/// <c>equalize_adapthist</c> (<see cref="Clahe"/>), with the registered <see cref="ClaheOptions"/>. The default
/// implementation is <see cref="ClaheService"/>.
/// </summary>
public interface IClaheService
{
    /// <summary>The CLAHE settings in use.</summary>
    ClaheOptions Options { get; }

    /// <summary>Equalises a volume into uint16 voxels (scikit-image's <c>img_as_uint</c> of its [0, 1] result).</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="cancellationToken">Stops between tiles and planes.</param>
    /// <returns>The equalised volume; the caller disposes it.</returns>
    /// <exception cref="ClaheException">The settings do not fit the volume (e.g. a kernel larger than the volume).</exception>
    Volume<ushort> Equalize(Volume<ushort> volume, CancellationToken cancellationToken = default);

    /// <summary>Equalises a volume into float64 values in [0, 1], as scikit-image returns them.</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="cancellationToken">Stops between tiles and planes.</param>
    /// <returns>The equalised volume; the caller disposes it.</returns>
    /// <exception cref="ClaheException">The settings do not fit the volume.</exception>
    Volume<double> EqualizeToUnit(Volume<ushort> volume, CancellationToken cancellationToken = default);

    /// <summary>Equalises every frame of a movie into uint16 voxels, each frame on its own.</summary>
    /// <param name="frames">One volume per timepoint.</param>
    /// <param name="progress">Receives the number of frames done after each frame.</param>
    /// <param name="cancellationToken">Stops between tiles, planes and frames.</param>
    /// <returns>The equalised frames; dispose the movie to release them.</returns>
    /// <exception cref="ClaheException">The settings do not fit a frame.</exception>
    Movie EqualizeMovie(IReadOnlyList<Volume<ushort>> frames, IProgress<int>? progress = null, CancellationToken cancellationToken = default);
}
