namespace CellVision.Segmentation;

/// <summary>One seed that the canvas tried, and what became of it.</summary>
/// <param name="Seed">The seed position (Z, Y, X voxels).</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="Steps">Network steps run from this seed.</param>
/// <param name="SegmentId">The id written, for <see cref="FloodFillSeedOutcome.Accepted"/>; otherwise 0.</param>
public sealed record FloodFillAttempt((int Z, int Y, int X) Seed, FloodFillSeedOutcome Outcome, int Steps, uint SegmentId)
{
    /// <summary>The field-of-view centres visited, in order, when the canvas was asked to keep them.</summary>
    internal IReadOnlyList<(int Z, int Y, int X)>? Visited { get; init; }

    /// <summary>New voxels at or above the segment threshold (computed for accepted and too-small objects; otherwise 0).</summary>
    internal long NewVoxels { get; init; }
}
