using CellVision.Core.Annotations;

namespace CellVision.Tracking;

/// <summary>Root tracks: a spot without incoming link and everything reachable from it along outgoing links.</summary>
internal static class Tracks
{
    /// <summary>The spots without incoming link that pass the filter, by timepoint and then identifier.</summary>
    public static List<Spot> Roots(LineageGraph graph, Func<Spot, bool>? include = null) =>
        [.. graph.Spots.Where(s => s.Incoming.Count == 0 && (include is null || include(s))).OrderBy(s => s.Timepoint).ThenBy(s => s.Id)];

    /// <summary>The root and its descendants (depth-first, children in link order), and the links between them.</summary>
    public static void Collect(Spot root, List<Spot> spots, List<Link>? links = null)
    {
        spots.Clear();
        links?.Clear();
        var visited = new HashSet<Spot> { root };
        var stack = new Stack<Spot>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var spot = stack.Pop();
            spots.Add(spot);
            for (var i = spot.Outgoing.Count - 1; i >= 0; i--)
            {
                var link = spot.Outgoing[i];
                links?.Add(link);
                if (visited.Add(link.Target))
                {
                    stack.Push(link.Target);
                }
            }
        }
    }
}
