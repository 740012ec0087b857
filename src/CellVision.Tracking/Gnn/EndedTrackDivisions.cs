using CellVision.Core.Geometry;

namespace CellVision.Tracking;

/// <summary>
/// Divisions the way a reference-trained network shows them: a cell with no child beside two cells with no parent one
/// frame later. Pairs joined by a candidate edge are taken nearest first (physical distance), each cell of the later
/// frame once, at most two per mother; a mother left with a single daughter gets none.
/// </summary>
internal static class EndedTrackDivisions
{
    /// <summary>The links plus the mother → daughter links found.</summary>
    public static List<CandidateEdge> Add(EdgeScores scores, VoxelSize voxelSize, IReadOnlyList<CandidateEdge> links)
    {
        var count = scores.Nodes.Count;
        var hasParent = new bool[count];
        var hasChild = new bool[count];
        foreach (var (source, target) in links)
        {
            hasChild[source] = true;
            hasParent[target] = true;
        }

        var pairs = new List<(double Distance, int Daughter, int Mother)>();
        var seen = new HashSet<CandidateEdge>();
        foreach (var edge in scores.Edges)
        {
            if (!hasChild[edge.Source] && !hasParent[edge.Target] && seen.Add(edge))
            {
                var distance = scores.PositionOf(edge.Source, voxelSize).SquaredDistanceTo(scores.PositionOf(edge.Target, voxelSize));
                pairs.Add((distance, edge.Target, edge.Source));
            }
        }

        pairs.Sort();
        var claimed = new bool[count];
        var daughters = new Dictionary<int, List<int>>();
        foreach (var (_, daughter, mother) in pairs)
        {
            if (!claimed[daughter] && (!daughters.TryGetValue(mother, out var list) || list.Count < 2))
            {
                claimed[daughter] = true;
                (list ?? (daughters[mother] = [])).Add(daughter);
            }
        }

        var result = new List<CandidateEdge>(links);
        foreach (var (mother, list) in daughters.OrderBy(pair => pair.Key))
        {
            if (list.Count == 2)
            {
                result.AddRange(list.Select(daughter => new CandidateEdge(mother, daughter)));
            }
        }

        return result;
    }
}
