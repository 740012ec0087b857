using CellVision.Core.Annotations;
using CellVision.Tracking;

namespace CellVision.Hosting;

/// <summary>
/// Links the spots of a <see cref="LineageGraph"/> into tracks with ELEPHANT's nearest-neighbour rules
/// (<see cref="NearestNeighborLinker"/>), with the registered <see cref="NearestNeighborLinkingOptions"/>. The default
/// implementation is <see cref="TrackLinker"/>.
/// </summary>
public interface ITrackLinker
{
    /// <summary>The linking settings in use.</summary>
    NearestNeighborLinkingOptions Options { get; }

    /// <summary>Links every timepoint of the graph, from the last back to 1 (each spot looks for its parent).</summary>
    /// <param name="graph">The spots; links are added and unapproved incoming links of linked spots replaced.</param>
    /// <param name="progress">Receives each finished timepoint.</param>
    /// <param name="cancellationToken">Stops between timepoints; timepoints done stay linked.</param>
    /// <returns>Links added and removed, spots interpolated, timepoints linked.</returns>
    LinkingResult LinkAll(LineageGraph graph, IProgress<LinkingProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Links the timepoints <paramref name="first"/> … <paramref name="last"/> (timepoint 0 has no parents and is skipped).</summary>
    /// <param name="graph">The spots.</param>
    /// <param name="first">The first timepoint whose spots look for parents.</param>
    /// <param name="last">The last such timepoint.</param>
    /// <param name="progress">Receives each finished timepoint.</param>
    /// <param name="cancellationToken">Stops between timepoints.</param>
    /// <returns>Links added and removed, spots interpolated, timepoints linked.</returns>
    LinkingResult LinkTimepoints(LineageGraph graph, int first, int last, IProgress<LinkingProgress>? progress = null, CancellationToken cancellationToken = default);
}
