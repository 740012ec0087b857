namespace CellVision.Core.Annotations;

/// <summary>A branch-free piece of a lineage: a chain of spots, one child after another, and the tracklet it divided from.</summary>
/// <param name="Label">The tracklet's number, from 1 (the label a Cell Tracking Challenge export gives it).</param>
/// <param name="Spots">The spots in time order.</param>
/// <param name="Parent">The tracklet that ends with this one's parent spot, or null for a root.</param>
public sealed record Tracklet(int Label, IReadOnlyList<Spot> Spots, Tracklet? Parent)
{
    /// <summary>The first timepoint.</summary>
    public int Begin => Spots[0].Timepoint;

    /// <summary>The last timepoint.</summary>
    public int End => Spots[^1].Timepoint;
}
