namespace CellVision.Tracking;

/// <summary>A directed candidate link between two cells of a tracking graph, from an earlier frame to a later one.</summary>
/// <param name="Source">The earlier cell's node index.</param>
/// <param name="Target">The later cell's node index.</param>
public readonly record struct CandidateEdge(int Source, int Target);
