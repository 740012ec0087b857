namespace CellVision.Tracking;

/// <summary>
/// Splits the assignment into independent parts. An edge ties its source's children to its target's parents, and no
/// constraint or cost ties a cell's parents to its children, so edges that share no (source, out) or (target, in) slot
/// through a chain of edges can be chosen separately: the optimum of the whole is the sum of the parts' optima. With
/// edges between consecutive frames a part never spans more than one frame pair, and is usually a small cluster. A
/// division pair ties its mother's children side to both daughters' parent sides.
/// </summary>
internal static class AssignmentParts
{
    /// <summary>
    /// Groups of item indices (edges first, then pairs numbered from <c>edges.Count</c>), whole components packed up to
    /// about <paramref name="maxEdges"/> items each, in item order.
    /// </summary>
    public static List<List<int>> Split(IReadOnlyList<CandidateEdge> edges, IReadOnlyList<DivisionPair> pairs, int nodeCount, int maxEdges)
    {
        // Slots: 2v is v's "children" side, 2v + 1 its "parent" side; an edge joins its source's 2s to its target's 2t + 1.
        var root = new int[2 * nodeCount];
        for (var i = 0; i < root.Length; i++)
        {
            root[i] = i;
        }

        foreach (var (source, target) in edges)
        {
            Union(root, 2 * source, 2 * target + 1);
        }

        foreach (var (mother, first, second) in pairs)
        {
            Union(root, 2 * mother, 2 * first + 1);
            Union(root, 2 * mother, 2 * second + 1);
        }

        var components = new Dictionary<int, List<int>>();
        for (var k = 0; k < edges.Count + pairs.Count; k++)
        {
            var r = Find(root, 2 * (k < edges.Count ? edges[k].Source : pairs[k - edges.Count].Mother));
            (components.TryGetValue(r, out var list) ? list : components[r] = []).Add(k);
        }

        var parts = new List<List<int>>();
        var current = new List<int>();
        foreach (var component in components.Values.OrderBy(c => c[0]))
        {
            if (current.Count > 0 && current.Count + component.Count > maxEdges)
            {
                parts.Add(current);
                current = [];
            }

            current.AddRange(component);
        }

        if (current.Count > 0)
        {
            parts.Add(current);
        }

        return parts;
    }

    private static void Union(int[] root, int i, int j)
    {
        var (a, b) = (Find(root, i), Find(root, j));
        if (a != b)
        {
            root[Math.Max(a, b)] = Math.Min(a, b);
        }
    }

    private static int Find(int[] root, int i)
    {
        while (root[i] != i)
        {
            root[i] = root[root[i]];
            i = root[i];
        }

        return i;
    }
}
