namespace CellVision.Tracking;

/// <summary>
/// Cuts a forest of node links into tracks the way the Cell Tracking Challenge counts them: a track runs along
/// single links and stops at a cell with no child or two; a cell without parent, or one of two daughters, starts one.
/// </summary>
internal static class TrackForest
{
    /// <summary>The tracks of a forest, labelled by their first node + 1, in (begin, first node) order.</summary>
    /// <param name="nodes">The cells.</param>
    /// <param name="links">Parent → child links; each cell has at most one parent and two children.</param>
    /// <exception cref="InvalidOperationException">A cell has two parents or three children.</exception>
    public static RawTracks Build(IReadOnlyList<CellNode> nodes, IReadOnlyList<CandidateEdge> links)
    {
        var parent = new int[nodes.Count];
        Array.Fill(parent, -1);
        var children = new List<int>[nodes.Count];
        foreach (var (source, target) in links)
        {
            if (parent[target] >= 0)
            {
                throw new InvalidOperationException($"Node {target} got two parents ({parent[target]} and {source}).");
            }

            parent[target] = source;
            (children[source] ??= []).Add(target);
            if (children[source].Count > 2)
            {
                throw new InvalidOperationException($"Node {source} got more than two children.");
            }
        }

        // Parents lie in earlier frames, so walking starts in (frame, node) order labels every mother before her daughters.
        var starts = Enumerable.Range(0, nodes.Count)
            .Where(i => parent[i] < 0 || children[parent[i]]!.Count != 1)
            .OrderBy(i => nodes[i].Frame).ThenBy(i => i);
        var labels = new int[nodes.Count];
        var tracks = new List<RawTrack>();
        foreach (var first in starts)
        {
            var last = first;
            labels[first] = first + 1;
            while (children[last] is [var only])
            {
                last = only;
                labels[last] = first + 1;
            }

            var mother = parent[first] < 0 ? 0 : labels[parent[first]];
            tracks.Add(new RawTrack(first + 1, nodes[first].Frame, nodes[last].Frame, mother));
        }

        return new RawTracks(tracks, labels, links);
    }
}
