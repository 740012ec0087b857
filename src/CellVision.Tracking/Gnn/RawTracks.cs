namespace CellVision.Tracking;

/// <summary>A track before relabelling: its label is whatever the decoder numbered it by (a node id).</summary>
/// <param name="Label">The decoder's own label (≥ 0).</param>
/// <param name="Begin">The first frame.</param>
/// <param name="End">The last frame.</param>
/// <param name="Parent">The parent's label in the same numbering, or 0 for none.</param>
internal readonly record struct RawTrack(int Label, int Begin, int End, int Parent);

/// <summary>A decoder's tracks in its own numbering, each node's track label, and the links between nodes.</summary>
/// <param name="Tracks">The track table, in the decoder's order.</param>
/// <param name="NodeLabels">Each node's track label (in the tracks' numbering).</param>
/// <param name="Links">Parent → child links between nodes: within tracks and from mothers to daughters.</param>
internal sealed record RawTracks(IReadOnlyList<RawTrack> Tracks, int[] NodeLabels, IReadOnlyList<CandidateEdge> Links);
