using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>What a Cell Tracking Challenge result must satisfy, checked on decoded tracks.</summary>
internal static class TrackTableChecks
{
    /// <summary>
    /// Labels 1..K each once; B ≤ E; a parent exists and ends before its child begins; every node carries a listed
    /// label, and each label is present in exactly the frames B..E. Without merges, a label holds one node per frame.
    /// </summary>
    public static void AssertConsistent(DecodedTracks decoded, EdgeScores scores, bool mergesAllowed = false)
    {
        var tracks = decoded.Tracks.ToDictionary(t => t.Label);
        Assert.Equal(Enumerable.Range(1, decoded.Tracks.Count), decoded.Tracks.Select(t => t.Label).Order());
        foreach (var track in decoded.Tracks)
        {
            Assert.True(track.Begin <= track.End, $"track {track}");
            if (track.Parent != 0)
            {
                Assert.True(tracks.TryGetValue(track.Parent, out var parent), $"track {track}: no parent {track.Parent}");
                Assert.True(parent.End < track.Begin, $"parent {parent} of {track} does not end before it begins");
                Assert.True(parent.Label < track.Label, "labels follow begin frames, so parents come first");
            }
        }

        Assert.Equal(scores.Nodes.Count, decoded.NodeLabels.Count);
        var frames = new Dictionary<int, List<int>>();
        for (var i = 0; i < scores.Nodes.Count; i++)
        {
            Assert.True(tracks.ContainsKey(decoded.NodeLabels[i]), $"node {i} has unlisted label {decoded.NodeLabels[i]}");
            (frames.TryGetValue(decoded.NodeLabels[i], out var list) ? list : frames[decoded.NodeLabels[i]] = []).Add(scores.Nodes[i].Frame);
        }

        foreach (var track in decoded.Tracks)
        {
            var present = frames[track.Label];
            Assert.Equal(Enumerable.Range(track.Begin, track.End - track.Begin + 1), present.Distinct().Order());
            if (!mergesAllowed)
            {
                Assert.Equal(present.Count, present.Distinct().Count());
            }
        }
    }

    /// <summary>No cell has two parents or three children, in the links and in the lineage graph.</summary>
    public static void AssertProperLineage(DecodedTracks decoded)
    {
        Assert.All(decoded.Links.GroupBy(l => l.Target), g => Assert.Single(g));
        Assert.All(decoded.Links.GroupBy(l => l.Source), g => Assert.InRange(g.Count(), 1, 2));
        Assert.All(decoded.Graph.Spots, s => Assert.InRange(s.Incoming.Count, 0, 1));
        Assert.All(decoded.Graph.Spots, s => Assert.InRange(s.Outgoing.Count, 0, 2));
        Assert.Equal(decoded.Links.Count, decoded.Graph.LinkCount);
    }
}
