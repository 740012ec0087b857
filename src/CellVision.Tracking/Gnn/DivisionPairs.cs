using CellVision.Core.Geometry;
using CellVision.Core.Spatial;

namespace CellVision.Tracking;

/// <summary>A division hypothesis of the global decoder: a mother and her two daughters, node indices.</summary>
/// <param name="Mother">The mother.</param>
/// <param name="First">One daughter.</param>
/// <param name="Second">The other daughter.</param>
internal readonly record struct DivisionPair(int Mother, int First, int Second);

/// <summary>
/// The division hypotheses of <see cref="DivisionModel.Midpoint"/>: for every mother, each pair among her nearest
/// candidate targets, priced by where she sits between them (see <see cref="DivisionModel.Midpoint"/>). A pair enters
/// the model only when it can beat what its cells would do without it: the mother's single edge to either daughter
/// (the other then has no parent), or nothing at all.
/// </summary>
internal static class DivisionPairs
{
    /// <summary>The useful pairs and their costs in the assignment's substituted integer units.</summary>
    /// <param name="scores">The cells, candidate edges and probabilities.</param>
    /// <param name="voxelSize">Places nodes without a physical position.</param>
    /// <param name="options">The decoder's settings.</param>
    /// <param name="appear">Each node's cost of having no parent, scaled.</param>
    /// <param name="disappear">Each node's cost of having no child, scaled.</param>
    /// <param name="singles">The substituted cost of each single edge in the model.</param>
    /// <param name="scale">Nats to the assignment's integer units.</param>
    public static (List<DivisionPair> Pairs, List<long> Weights) Build(
        EdgeScores scores, VoxelSize voxelSize, GlobalDecoderOptions options, long[] appear, long[] disappear, Dictionary<CandidateEdge, long> singles, Func<double, long> scale)
    {
        // Per mother, each target once with its best probability.
        var targets = new Dictionary<int, Dictionary<int, double>>();
        for (var e = 0; e < scores.Edges.Count; e++)
        {
            var (source, target) = scores.Edges[e];
            var list = targets.TryGetValue(source, out var found) ? found : targets[source] = [];
            list[target] = Math.Max(list.GetValueOrDefault(target), scores.Probabilities[e]);
        }

        var pairs = new List<DivisionPair>();
        var weights = new List<long>();
        foreach (var (mother, byTarget) in targets.OrderBy(pair => pair.Key))
        {
            if (byTarget.Count < 2)
            {
                continue;
            }

            var origin = scores.PositionOf(mother, voxelSize);
            var nearest = byTarget
                .Select(pair => (Node: pair.Key, Position: scores.PositionOf(pair.Key, voxelSize), Cost: GlobalAssignment.EdgeCost(pair.Value)))
                .OrderBy(t => t.Position.SquaredDistanceTo(origin)).ThenBy(t => t.Node)
                .Take(options.DivisionPartners)
                .ToArray();
            for (var i = 0; i < nearest.Length; i++)
            {
                for (var j = i + 1; j < nearest.Length; j++)
                {
                    var (a, b) = (nearest[i], nearest[j]);
                    var separation = Math.Sqrt(a.Position.SquaredDistanceTo(b.Position));
                    if (!(separation > 0))
                    {
                        continue;
                    }

                    var midpoint = new Point3((a.Position.X + b.Position.X) / 2, (a.Position.Y + b.Position.Y) / 2, (a.Position.Z + b.Position.Z) / 2);
                    var ratio = Math.Sqrt(midpoint.SquaredDistanceTo(origin)) / separation;
                    var nats = Math.Min(Math.Min(a.Cost, b.Cost), 0) + options.DivisionCost + options.MidpointWeight * (ratio - options.NeutralMidpointRatio);
                    var weight = scale(nats) - appear[a.Node] - appear[b.Node] - disappear[mother];
                    var withoutPair = Math.Min(0, Math.Min(singles.GetValueOrDefault(new CandidateEdge(mother, a.Node)), singles.GetValueOrDefault(new CandidateEdge(mother, b.Node))));
                    if (weight < withoutPair)
                    {
                        pairs.Add(new DivisionPair(mother, a.Node, b.Node));
                        weights.Add(weight);
                    }
                }
            }
        }

        return (pairs, weights);
    }
}
