namespace CellVision.Tracking;

/// <summary>Numbers tracks 1..K by (begin frame, decoder label), so that a mother's label is below her daughters'.</summary>
internal static class TrackRelabeling
{
    /// <summary>The track table and node labels in the new numbering.</summary>
    public static (TrackRecord[] Tracks, int[] NodeLabels) Relabel(RawTracks raw)
    {
        var ordered = raw.Tracks.OrderBy(t => t.Begin).ThenBy(t => t.Label).ToList();
        var label = new Dictionary<int, int>(ordered.Count);
        for (var k = 0; k < ordered.Count; k++)
        {
            label.Add(ordered[k].Label, k + 1);
        }

        var tracks = ordered.Select(t => new TrackRecord(label[t.Label], t.Begin, t.End, t.Parent > 0 ? label[t.Parent] : 0)).ToArray();
        var nodeLabels = Array.ConvertAll(raw.NodeLabels, l => label[l]);
        return (tracks, nodeLabels);
    }
}
