using CellVision.Core.Annotations;
using CellVision.Core.Geometry;

namespace CellVision.Tracking;

/// <summary>Puts decoded links into a lineage graph: one spot per node at its physical centroid.</summary>
internal static class GnnLineage
{
    /// <summary>The graph and each node's spot.</summary>
    public static (LineageGraph Graph, Spot[] Spots) Build(EdgeScores scores, VoxelSize voxelSize, IReadOnlyList<CandidateEdge> links)
    {
        var graph = new LineageGraph();
        var voxelRadius = Math.Max(voxelSize.X, Math.Max(voxelSize.Y, voxelSize.Z));
        var spots = new Spot[scores.Nodes.Count];
        for (var i = 0; i < spots.Length; i++)
        {
            var position = scores.PositionOf(i, voxelSize);
            spots[i] = graph.AddSpot(scores.Nodes[i].Frame, position.X, position.Y, position.Z, scores.Nodes[i].Radius ?? voxelRadius);
        }

        foreach (var (source, target) in links)
        {
            graph.AddLink(spots[source], spots[target]);
        }

        return (graph, spots);
    }
}
