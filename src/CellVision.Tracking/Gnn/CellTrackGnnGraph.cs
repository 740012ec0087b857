using CellVision.Torch;

namespace CellVision.Tracking;

/// <summary>
/// A directed cell graph as <see cref="CellTrackGnn"/> reads it: node features and edges from a cell in one frame to a
/// candidate in a later frame, with optional 0/1 labels (1 = same cell) for training. The graph owns its tensors;
/// <see cref="Dispose"/> releases them. A copy made with <c>with</c> shares them, so dispose only one of the two.
/// </summary>
/// <param name="Handcrafted">Hand-crafted node features (N, Fh), float32.</param>
/// <param name="Embedding">Metric-learning embeddings (N, 128), float32, or null for the geometry-only model.</param>
/// <param name="EdgeIndex">(2, E) int64: sources (row 0), then targets (row 1). No self-loops.</param>
/// <param name="Labels">Edge labels (E), float32 0 or 1, or null.</param>
public sealed record CellTrackGnnGraph(Tensor Handcrafted, Tensor? Embedding, Tensor EdgeIndex, Tensor? Labels = null) : IDisposable
{
    /// <summary>Number of nodes.</summary>
    public long NodeCount => Handcrafted.Size(0);

    /// <summary>Number of edges.</summary>
    public long EdgeCount => EdgeIndex.Size(1);

    /// <summary>
    /// The disjoint union of <paramref name="graphs"/>, as PyTorch Geometric batches them: nodes and edges concatenated
    /// in order, each graph's edge indices shifted by the nodes before it. The inputs stay the caller's.
    /// </summary>
    /// <param name="graphs">At least one graph; all with or all without embeddings and labels.</param>
    /// <returns>A new graph that owns new tensors.</returns>
    /// <exception cref="ArgumentException">The list is empty, or graphs differ in having embeddings or labels.</exception>
    public static CellTrackGnnGraph Collate(IReadOnlyList<CellTrackGnnGraph> graphs)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        if (graphs.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one graph.", nameof(graphs));
        }

        var embedded = graphs[0].Embedding is not null;
        var labelled = graphs[0].Labels is not null;
        if (graphs.Any(g => (g.Embedding is not null) != embedded || (g.Labels is not null) != labelled))
        {
            throw new ArgumentException("All graphs of a batch must have embeddings, or none; and labels, or none.", nameof(graphs));
        }

        using var scope = DisposeScope.Enter();
        var edges = new List<Tensor>(graphs.Count);
        long offset = 0;
        foreach (var graph in graphs)
        {
            edges.Add(graph.EdgeIndex + offset);   // an integral scalar keeps the indices int64
            offset += graph.NodeCount;
        }

        var batch = new CellTrackGnnGraph(
            Tensor.Concatenate(graphs.Select(g => g.Handcrafted).ToList()),
            embedded ? Tensor.Concatenate(graphs.Select(g => g.Embedding!).ToList()) : null,
            Tensor.Concatenate(edges, 1),
            labelled ? Tensor.Concatenate(graphs.Select(g => g.Labels!).ToList()) : null);
        scope.MoveToOuter(batch.Handcrafted, batch.EdgeIndex);
        if (batch.Embedding is not null)
        {
            scope.MoveToOuter(batch.Embedding);
        }

        if (batch.Labels is not null)
        {
            scope.MoveToOuter(batch.Labels);
        }

        return batch;
    }

    /// <summary>Releases the graph's tensors.</summary>
    public void Dispose()
    {
        Handcrafted.Dispose();
        Embedding?.Dispose();
        EdgeIndex.Dispose();
        Labels?.Dispose();
    }
}
