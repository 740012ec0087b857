using CellVision.Core.Geometry;
using CellVision.Core.Spatial;

namespace CellVision.Tracking;

/// <summary>
/// What the GNN edge classifier hands to the decoders: the cells (nodes), the directed candidate edges in
/// <c>edge_index</c> order, and one link probability per edge (sigmoid of the classifier's logit).
/// </summary>
public sealed class EdgeScores
{
    /// <summary>Checks and keeps the graph and its probabilities.</summary>
    /// <param name="nodes">The cells, indexed by node number.</param>
    /// <param name="edges">The candidate edges, in the classifier's edge order (the reference decoder depends on it).</param>
    /// <param name="probabilities">One link probability in [0, 1] per edge.</param>
    /// <exception cref="ArgumentException">The counts differ, an edge names a missing node or does not go forward in time, a frame is negative, or a probability is outside [0, 1].</exception>
    public EdgeScores(IReadOnlyList<CellNode> nodes, IReadOnlyList<CandidateEdge> edges, IReadOnlyList<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (edges.Count != probabilities.Count)
        {
            throw new ArgumentException($"There are {edges.Count} edges but {probabilities.Count} probabilities; give one per edge.", nameof(probabilities));
        }

        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (node.Frame < 0)
            {
                throw new ArgumentException($"Node {i} has frame {node.Frame}; frames start at 0.", nameof(nodes));
            }

            if (node.Position is { IsFinite: false } || node.Radius is { } radius && !(double.IsFinite(radius) && radius > 0))
            {
                throw new ArgumentException($"Node {i} has a position or radius that is not finite (or a radius ≤ 0).", nameof(nodes));
            }
        }

        for (var e = 0; e < edges.Count; e++)
        {
            var (source, target) = edges[e];
            if ((uint)source >= (uint)nodes.Count || (uint)target >= (uint)nodes.Count)
            {
                throw new ArgumentException($"Edge {e} ({source} → {target}) names a node outside 0..{nodes.Count - 1}.", nameof(edges));
            }

            if (nodes[target].Frame <= nodes[source].Frame)
            {
                throw new ArgumentException(
                    $"Edge {e} ({source} → {target}) goes from frame {nodes[source].Frame} to frame {nodes[target].Frame}; edges must go forward in time.", nameof(edges));
            }

            if (!(probabilities[e] >= 0 && probabilities[e] <= 1))
            {
                throw new ArgumentException($"Edge {e} has probability {probabilities[e]}; probabilities lie in [0, 1].", nameof(probabilities));
            }
        }

        Nodes = nodes;
        Edges = edges;
        Probabilities = probabilities;
    }

    /// <summary>The cells, indexed by node number.</summary>
    public IReadOnlyList<CellNode> Nodes { get; }

    /// <summary>The candidate edges, in the classifier's edge order.</summary>
    public IReadOnlyList<CandidateEdge> Edges { get; }

    /// <summary>The link probability of each edge.</summary>
    public IReadOnlyList<double> Probabilities { get; }

    /// <summary>Builds the scores from the classifier's raw logits (probability = sigmoid(logit), in double precision).</summary>
    /// <param name="nodes">The cells, indexed by node number.</param>
    /// <param name="edges">The candidate edges, in the classifier's edge order.</param>
    /// <param name="logits">One logit per edge.</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentException">As the constructor; also when a logit is NaN.</exception>
    public static EdgeScores FromLogits(IReadOnlyList<CellNode> nodes, IReadOnlyList<CandidateEdge> edges, ReadOnlySpan<float> logits)
    {
        var probabilities = new double[logits.Length];
        for (var e = 0; e < logits.Length; e++)
        {
            probabilities[e] = 1 / (1 + Math.Exp(-(double)logits[e]));
        }

        return new EdgeScores(nodes, edges, probabilities);
    }

    /// <summary>The node's physical centroid: its <see cref="CellNode.Position"/>, or the rounded centroid times the voxel size.</summary>
    /// <param name="node">The node index.</param>
    /// <param name="voxelSize">The voxel size.</param>
    internal Point3 PositionOf(int node, VoxelSize voxelSize)
    {
        var cell = Nodes[node];
        if (cell.Position is { } position)
        {
            return position;
        }

        var (x, y, z) = voxelSize.ToPhysical(cell.Depth, cell.Row, cell.Column);
        return new Point3(x, y, z);
    }
}
