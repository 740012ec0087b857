namespace CellVision.Tracking;

/// <summary>
/// A cell graph as the GNN tracker consumes it: node features, directed candidate edges from each frame to the next
/// present frame, and (for training) their labels. Plain arrays, ready to become tensors.
/// </summary>
/// <remarks>
/// Nodes are in frame order, then label order. Edges are in the reference's order: with labels, the positive edges
/// first (by ascending track id, then time), then the gated candidates that are not positive, by source node and
/// then target node; without labels, the gated candidates alone.
/// </remarks>
public sealed class CandidateGraph
{
    /// <summary>Creates a graph; the arrays are taken, not copied.</summary>
    /// <param name="nodes">What each node stands for.</param>
    /// <param name="featureNames">The feature columns.</param>
    /// <param name="nodeFeatures">Row-major [nodes × features].</param>
    /// <param name="edgeIndex">Row-major [2 × edges]: sources, then targets.</param>
    /// <param name="edgeLabels">1 or 0 per edge, or null for inference.</param>
    /// <exception cref="ArgumentException">The array lengths disagree.</exception>
    public CandidateGraph(IReadOnlyList<GraphNode> nodes, IReadOnlyList<string> featureNames, float[] nodeFeatures, long[] edgeIndex, float[]? edgeLabels)
        : this(nodes, featureNames, nodeFeatures, edgeIndex, edgeLabels, null)
    {
    }

    /// <summary>Creates a graph whose nodes also carry metric-learning embeddings; the arrays are taken, not copied.</summary>
    /// <param name="nodes">What each node stands for.</param>
    /// <param name="featureNames">The feature columns.</param>
    /// <param name="nodeFeatures">Row-major [nodes × features].</param>
    /// <param name="edgeIndex">Row-major [2 × edges]: sources, then targets.</param>
    /// <param name="edgeLabels">1 or 0 per edge, or null for inference.</param>
    /// <param name="nodeEmbeddings">Row-major [nodes × 128] (<see cref="CellEmbeddingNetwork.EmbeddingSize"/>), or null.</param>
    /// <exception cref="ArgumentException">The array lengths disagree.</exception>
    public CandidateGraph(IReadOnlyList<GraphNode> nodes, IReadOnlyList<string> featureNames, float[] nodeFeatures, long[] edgeIndex, float[]? edgeLabels, float[]? nodeEmbeddings)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(nodeFeatures);
        ArgumentNullException.ThrowIfNull(edgeIndex);
        if (nodeFeatures.Length != (long)nodes.Count * featureNames.Count)
        {
            throw new ArgumentException($"{nodes.Count} nodes × {featureNames.Count} features need {nodes.Count * featureNames.Count} values, not {nodeFeatures.Length}.", nameof(nodeFeatures));
        }

        if (edgeIndex.Length % 2 != 0)
        {
            throw new ArgumentException($"The edge index holds {edgeIndex.Length} values; [2, E] needs an even number.", nameof(edgeIndex));
        }

        if (edgeLabels is not null && edgeLabels.Length != edgeIndex.Length / 2)
        {
            throw new ArgumentException($"{edgeIndex.Length / 2} edges but {edgeLabels.Length} labels.", nameof(edgeLabels));
        }

        if (nodeEmbeddings is not null && nodeEmbeddings.Length != (long)nodes.Count * CellEmbeddingNetwork.EmbeddingSize)
        {
            throw new ArgumentException($"{nodes.Count} nodes × {CellEmbeddingNetwork.EmbeddingSize} embedding values need {nodes.Count * CellEmbeddingNetwork.EmbeddingSize} values, not {nodeEmbeddings.Length}.", nameof(nodeEmbeddings));
        }

        Nodes = nodes;
        NodeEmbeddings = nodeEmbeddings;
        FeatureNames = featureNames;
        NodeFeatures = nodeFeatures;
        EdgeIndex = edgeIndex;
        EdgeLabels = edgeLabels;
    }

    /// <summary>What each node stands for: node i is segment <c>Nodes[i].Label</c> of frame <c>Nodes[i].Frame</c>.</summary>
    public IReadOnlyList<GraphNode> Nodes { get; }

    /// <summary>The names of the feature columns (e.g. <see cref="NodeFeatureColumns.Names"/>).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The node features, row-major float32 [<see cref="NodeCount"/>, <see cref="FeatureCount"/>] (the reference's <c>x</c>).</summary>
    public float[] NodeFeatures { get; }

    /// <summary>
    /// The nodes' metric-learning embeddings, row-major float32 [<see cref="NodeCount"/>, 128] (the reference's <c>x_2</c>,
    /// not rescaled), or null when the cells carry none.
    /// </summary>
    public float[]? NodeEmbeddings { get; }

    /// <summary>The edges, row-major int64 [2, <see cref="EdgeCount"/>]: the sources, then the targets (PyG's <c>edge_index</c>).</summary>
    public long[] EdgeIndex { get; }

    /// <summary>Training labels, 1 for a true link and 0 otherwise, one per edge (PyG's <c>edge_label</c>); null at inference.</summary>
    public float[]? EdgeLabels { get; }

    /// <summary>The number of nodes.</summary>
    public int NodeCount => Nodes.Count;

    /// <summary>The number of features per node.</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>The number of edges.</summary>
    public int EdgeCount => EdgeIndex.Length / 2;

    /// <summary>How many edges are labelled 1 (they come first).</summary>
    public int PositiveEdgeCount => EdgeLabels is null ? 0 : EdgeLabels.Count(label => label != 0);

    /// <summary>The source node of an edge.</summary>
    /// <param name="edge">The edge index, 0 … <see cref="EdgeCount"/> − 1.</param>
    public int Source(int edge) => (int)EdgeIndex[edge];

    /// <summary>The target node of an edge.</summary>
    /// <param name="edge">The edge index, 0 … <see cref="EdgeCount"/> − 1.</param>
    public int Target(int edge) => (int)EdgeIndex[EdgeCount + edge];
}
