namespace CellVision.Tracking;

/// <summary>Settings of ELEPHANT's nearest-neighbour linking, with the client's defaults.</summary>
public sealed record NearestNeighborLinkingOptions
{
    /// <summary>
    /// The search radius d_search in physical units ("NN linking threshold"; ELEPHANT: 5.0). A parent candidate
    /// farther than this from the (motion-corrected) position is never taken; one at exactly this distance is.
    /// </summary>
    public double DistanceThreshold { get; init; } = 5.0;

    /// <summary>The most children a parent may get from linking ("NN max edges"; ELEPHANT: 2, i.e. divisions allowed).</summary>
    public int MaxEdges { get; init; } = 2;

    /// <summary>
    /// How many earlier timepoints are searched for a parent ("NN search depth"; ELEPHANT: 1, only t − 1). With a depth
    /// above 1 a spot without a parent at t − 1 may be linked across a gap, to a spot at t − 2 … t − depth.
    /// </summary>
    public int SearchDepth { get; init; } = 1;

    /// <summary>
    /// How many nearest spots of a searched timepoint are examined ("NN search neighbors"; ELEPHANT: 3). Spots that
    /// may not be parents (detection tag fp, tn, tb or fb) are skipped but still count.
    /// </summary>
    public int SearchNeighbors { get; init; } = 3;

    /// <summary>
    /// When a parent is found across a gap (at t − 2 or earlier), create a spot at t − 1 at the corrected position with
    /// the child's covariance and link it instead ("use interpolation"; ELEPHANT: off). The new spot is linked to
    /// the earlier parent when timepoint t − 1 itself is linked.
    /// </summary>
    public bool UseInterpolation { get; init; }

    /// <summary>How many timepoints a time-range run links, backwards from the current one (ELEPHANT: 10).</summary>
    public int TimeRange { get; init; } = 10;

    /// <summary>Passes over the spots of a timepoint, so that spots that lost a competition search again (ELEPHANT: 5).</summary>
    public int Passes { get; init; } = 5;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!double.IsFinite(DistanceThreshold) || DistanceThreshold < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DistanceThreshold), DistanceThreshold, "The distance threshold must be finite and ≥ 0.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEdges, 1, nameof(MaxEdges));
        ArgumentOutOfRangeException.ThrowIfLessThan(SearchDepth, 1, nameof(SearchDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(SearchNeighbors, 1, nameof(SearchNeighbors));
        ArgumentOutOfRangeException.ThrowIfLessThan(TimeRange, 1, nameof(TimeRange));
        ArgumentOutOfRangeException.ThrowIfLessThan(Passes, 1, nameof(Passes));
    }
}
