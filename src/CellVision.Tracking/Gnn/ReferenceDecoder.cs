namespace CellVision.Tracking;

/// <summary>
/// The post-processing of cell-tracker-gnn (spec §5 step 4), reproduced with its quirks so that its numbers can be
/// compared: active edges (p &gt; 0.5), a trajectory matrix of node ids with one column per running track, the first
/// active edge as the only successor, merges carried in both columns and fused afterwards, the nearest ended track as
/// parent of every new track, the last node's id as the track label, and label 0 renamed max + 1.
/// </summary>
internal static class ReferenceDecoder
{
    private const int Empty = -2;
    private const int Ended = -1;

    /// <summary>Decodes the scores as the reference does.</summary>
    /// <exception cref="ArgumentException">Nodes are not in frame order, frames are not 0..T−1 each with a cell, or an edge skips a frame.</exception>
    public static RawTracks Decode(EdgeScores scores, CancellationToken cancellationToken = default)
    {
        var nodes = scores.Nodes;
        if (nodes.Count == 0)
        {
            return new RawTracks([], [], []);
        }

        var frameStarts = FrameStarts(nodes);
        var frameCount = frameStarts.Length - 1;
        var successor = FirstActiveSuccessors(scores);

        // The matrix, column by column: columns[c][t] is a node id, Ended (the track stopped at t − 1) or Empty.
        var columns = new List<int[]>();
        var widest = Enumerable.Range(0, frameCount).Max(t => frameStarts[t + 1] - frameStarts[t]);
        for (var c = 0; c < widest; c++)
        {
            columns.Add(NewColumn(frameCount));
        }

        // Start records in the reference's order: frame 0's cells, then each frame's new tracks by node id.
        var starts = new List<(int Node, int Parent, int Frame, int Column)>();
        for (var i = frameStarts[0]; i < frameStarts[1]; i++)
        {
            columns[i][0] = i;
            starts.Add((i, 0, 0, i));
        }

        var columnsOf = new Dictionary<int, List<int>>();
        for (var t = 0; t < frameCount; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            columnsOf.Clear();
            for (var c = 0; c < columns.Count; c++)
            {
                if (columns[c][t] >= 0)
                {
                    (columnsOf.TryGetValue(columns[c][t], out var list) ? list : columnsOf[columns[c][t]] = []).Add(c);
                }
            }

            var newTracks = new List<(int Node, int Column)>();
            for (var i = frameStarts[t]; i < frameStarts[t + 1]; i++)
            {
                if (columnsOf.TryGetValue(i, out var held))
                {
                    // Every column that carries the node (more than one after a merge) continues with its successor.
                    foreach (var c in held)
                    {
                        SetNext(columns[c], t, successor[i]);
                    }

                    continue;
                }

                var free = columns.FindIndex(column => column[t] == Empty);
                if (free < 0)
                {
                    columns.Add(NewColumn(frameCount));
                    free = columns.Count - 1;
                }

                columns[free][t] = i;
                SetNext(columns[free], t, successor[i]);
                newTracks.Add((i, free));
            }

            if (newTracks.Count > 0)
            {
                // Tracks whose last node is in frame t − 1, in column order (ties go to the lowest column).
                var endedLast = columns.Where(column => column[t] == Ended).Select(column => column[t - 1]).ToList();
                foreach (var (node, column) in newTracks)
                {
                    starts.Add((node, NearestEnded(nodes, endedLast, node), t, column));
                }
            }
        }

        return Collect(starts, columns, successor, nodes.Count);
    }

    /// <summary>Follows each start down its column (set_all_info), fuses repeated labels (clean_repetition), and renames label 0.</summary>
    private static RawTracks Collect(List<(int Node, int Parent, int Frame, int Column)> starts, List<int[]> columns, int[] successor, int nodeCount)
    {
        var frameCount = columns[0].Length;
        var nodeLabels = new int[nodeCount];
        var records = new List<RawTrack>(starts.Count);
        foreach (var (_, parent, frame, column) in starts)
        {
            var end = frame;
            while (end + 1 < frameCount && columns[column][end + 1] >= 0)
            {
                end++;
            }

            var label = columns[column][end];
            for (var t = frame; t <= end; t++)
            {
                nodeLabels[columns[column][t]] = label;
            }

            records.Add(new RawTrack(label, frame, end, parent));
        }

        // Records that reached the same last node (a merge) become one: the first, spanning all of them.
        var fused = new List<RawTrack>();
        var indexOfLabel = new Dictionary<int, int>();
        foreach (var record in records)
        {
            if (indexOfLabel.TryGetValue(record.Label, out var index))
            {
                var kept = fused[index];
                fused[index] = kept with { Begin = Math.Min(kept.Begin, record.Begin), End = Math.Max(kept.End, record.End) };
            }
            else
            {
                indexOfLabel[record.Label] = fused.Count;
                fused.Add(record);
            }
        }

        // Node 0 ending in frame 0 would give label 0, which CTC reserves for background: it becomes max + 1. Parent
        // fields that pointed to it stay 0, as in the reference.
        if (indexOfLabel.TryGetValue(0, out var zero))
        {
            var renamed = fused.Max(r => r.Label) + 1;
            fused[zero] = fused[zero] with { Label = renamed };
            for (var i = 0; i < nodeLabels.Length; i++)
            {
                nodeLabels[i] = nodeLabels[i] == 0 ? renamed : nodeLabels[i];
            }
        }

        var links = new List<CandidateEdge>();
        for (var i = 0; i < nodeCount; i++)
        {
            if (successor[i] >= 0)
            {
                links.Add(new CandidateEdge(i, successor[i]));
            }
        }

        // The parent field holds the parent's last node id, so the mother → daughter link starts there.
        var firstNodeOfLabel = new Dictionary<int, int>();
        foreach (var (node, _, _, _) in starts)
        {
            firstNodeOfLabel.TryAdd(nodeLabels[node], node);
        }

        foreach (var track in fused)
        {
            if (track.Parent > 0)
            {
                links.Add(new CandidateEdge(track.Parent, firstNodeOfLabel[track.Label]));
            }
        }

        return new RawTracks(fused, nodeLabels, links);
    }

    private static int NearestEnded(IReadOnlyList<CellNode> nodes, List<int> endedLast, int node)
    {
        var best = 0;
        var bestDistance = long.MaxValue;
        foreach (var candidate in endedLast)
        {
            var distance = nodes[candidate].SquaredVoxelDistanceTo(nodes[node]);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    private static void SetNext(int[] column, int t, int next)
    {
        // The reference writes the successor into row t + 1 only while such a row exists.
        if (t + 1 < column.Length)
        {
            column[t + 1] = next;
        }
    }

    private static int[] NewColumn(int frameCount)
    {
        var column = new int[frameCount];
        Array.Fill(column, Empty);
        return column;
    }

    /// <summary>The target of each node's first edge (in edge order) with p &gt; 0.5, or Ended.</summary>
    private static int[] FirstActiveSuccessors(EdgeScores scores)
    {
        var successor = new int[scores.Nodes.Count];
        Array.Fill(successor, Ended);
        for (var e = 0; e < scores.Edges.Count; e++)
        {
            var (source, target) = scores.Edges[e];
            if (scores.Nodes[target].Frame != scores.Nodes[source].Frame + 1)
            {
                throw new ArgumentException(
                    $"Edge {e} ({source} → {target}) skips from frame {scores.Nodes[source].Frame} to {scores.Nodes[target].Frame}; the reference decoder links consecutive frames only.",
                    nameof(scores));
            }

            if (scores.Probabilities[e] > 0.5 && successor[source] == Ended)
            {
                successor[source] = target;
            }
        }

        return successor;
    }

    /// <summary>Where each frame's nodes start; the reference uses frame numbers as matrix rows, so frames must be 0..T−1.</summary>
    private static int[] FrameStarts(IReadOnlyList<CellNode> nodes)
    {
        var frameCount = nodes[^1].Frame + 1;
        var starts = new int[frameCount + 1];
        var frame = -1;
        for (var i = 0; i < nodes.Count; i++)
        {
            var f = nodes[i].Frame;
            if (f < frame)
            {
                throw new ArgumentException($"Node {i} (frame {f}) follows a node of frame {frame}; the reference decoder needs nodes in frame order.", nameof(nodes));
            }

            if (f > frame + 1)
            {
                throw new ArgumentException($"Frame {frame + 1} has no cell; the reference decoder uses frame numbers as rows and needs every frame 0..{frameCount - 1}.", nameof(nodes));
            }

            for (; frame < f; frame++)
            {
                starts[frame + 1] = i;
            }
        }

        starts[frameCount] = nodes.Count;
        return starts;
    }
}
