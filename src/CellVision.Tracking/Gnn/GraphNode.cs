namespace CellVision.Tracking;

/// <summary>What a node of a <see cref="CandidateGraph"/> stands for: one segment in one frame (or one spot).</summary>
/// <param name="Frame">The frame number (timepoint).</param>
/// <param name="Label">The segment's label in that frame's label image (for a spot: its id), used to repaint masks.</param>
public readonly record struct GraphNode(int Frame, uint Label);
