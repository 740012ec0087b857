namespace CellVision.Tracking;

/// <summary>The candidate links of a sequence and the probability the GNN gives each.</summary>
/// <param name="Graph">The candidate graph (nodes in frame order, edges t → t + 1).</param>
/// <param name="Probabilities">One probability per edge of <paramref name="Graph"/>, in its edge order.</param>
public sealed record GnnPrediction(CandidateGraph Graph, IReadOnlyList<float> Probabilities);
