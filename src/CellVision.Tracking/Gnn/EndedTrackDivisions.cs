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

    /// <summary>
    /// Gives a cell that appears (no parent, after the first frame) to the cell one frame earlier that continues into a
    /// single child, when the two would be sisters: the new cell lies no farther from the mother than twice the
    /// continuing child does (or than the mother's radius). The nearest such mother wins; each mother takes one.
    /// </summary>
    public static List<CandidateEdge> AdoptAppearingDaughters(EdgeScores scores, VoxelSize voxelSize, IReadOnlyList<CandidateEdge> links)
    {
        var count = scores.Nodes.Count;
        var parents = new int[count];
        var children = new List<int>?[count];
        foreach (var (source, target) in links)
        {
            parents[target]++;
            (children[source] ??= []).Add(target);
        }

        var firstFrame = count == 0 ? 0 : scores.Nodes.Min(n => n.Frame);
        var offers = new List<(double Distance, int Daughter, int Mother)>();
        foreach (var (mother, daughter) in scores.Edges)
        {
            if (parents[daughter] > 0 || scores.Nodes[daughter].Frame == firstFrame || children[mother] is not [var sister])
            {
                continue;
            }

            var at = scores.PositionOf(mother, voxelSize);
            var distance = Math.Sqrt(at.SquaredDistanceTo(scores.PositionOf(daughter, voxelSize)));
            var sisterDistance = Math.Sqrt(at.SquaredDistanceTo(scores.PositionOf(sister, voxelSize)));
            var radius = scores.Nodes[mother].Radius ?? 0;
            if (distance <= Math.Max(2 * sisterDistance, radius))
            {
                offers.Add((distance, daughter, mother));
            }
        }

        offers.Sort();
        var result = new List<CandidateEdge>(links);
        var adopted = new bool[count];
        var adopting = new bool[count];
        foreach (var (_, daughter, mother) in offers)
        {
            if (!adopted[daughter] && !adopting[mother])
            {
                adopted[daughter] = adopting[mother] = true;
                result.Add(new CandidateEdge(mother, daughter));
            }
        }

        return result;
    }
}
