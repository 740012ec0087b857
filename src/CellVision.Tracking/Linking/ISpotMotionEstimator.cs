using CellVision.Core.Annotations;

namespace CellVision.Tracking;

/// <summary>
/// Estimates where the nuclei of one timepoint were one timepoint earlier, e.g. from an optical-flow model, so that
/// linking searches for parents around the corrected positions rather than the current ones.
/// </summary>
public interface ISpotMotionEstimator
{
    /// <summary>Estimates, for each spot at <paramref name="timepoint"/>, its position at <c>timepoint − 1</c>.</summary>
    /// <param name="timepoint">The timepoint of the spots (at least 1).</param>
    /// <param name="spots">Spots of that timepoint.</param>
    /// <param name="cancellationToken">Cancels the estimate.</param>
    /// <returns>One estimate per spot, in the order of <paramref name="spots"/>.</returns>
    IReadOnlyList<MotionEstimate> EstimatePrevious(int timepoint, IReadOnlyList<Spot> spots, CancellationToken cancellationToken = default);
}
