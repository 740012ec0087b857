using CellVision.IO.Ctc;

namespace CellVision.Evaluation;

/// <summary>
/// Counts the AOGM graph edits from the per-frame matching and the two track files, following java-ctcmetrics
/// <c>TRA.calculate</c> (vertex classification, <c>FindEDAndECEdges</c>, <c>FindEAEdges</c>). The track files must
/// already agree with the masks.
/// </summary>
internal sealed class AogmGraph(FrameOverlap[] overlaps, bool collect)
{
    private readonly List<CtcVertex> falseNegatives = [];
    private readonly List<CtcVertex> falsePositives = [];
    private readonly List<CtcSplit> splits = [];
    private readonly List<CtcEdge> redundant = [];
    private readonly List<CtcEdge> missing = [];
    private readonly List<CtcEdge> wrongType = [];
    private int splitCount;
    private int falseNegativeCount;
    private int falsePositiveCount;
    private int redundantCount;
    private int missingCount;
    private int wrongTypeCount;

    internal AogmCounts Counts => new(splitCount, falseNegativeCount, falsePositiveCount, redundantCount, missingCount, wrongTypeCount);

    /// <summary>FN, FP and NS over all frames.</summary>
    internal void CountVertices()
    {
        for (var t = 0; t < overlaps.Length; t++)
        {
            var overlap = overlaps[t];
            for (var i = 0; i < overlap.GtLabels.Length; i++)
            {
                if (overlap.GtMatch[i] < 0)
                {
                    falseNegativeCount++;
                    if (collect)
                    {
                        falseNegatives.Add(new CtcVertex(t, (int)overlap.GtLabels[i]));
                    }
                }
            }

            for (var j = 0; j < overlap.ResLabels.Length; j++)
            {
                var k = overlap.ResMatchCount[j];
                if (k == 0)
                {
                    falsePositiveCount++;
                    if (collect)
                    {
                        falsePositives.Add(new CtcVertex(t, (int)overlap.ResLabels[j]));
                    }
                }
                else if (k > 1)
                {
                    splitCount += k - 1;
                    if (collect)
                    {
                        splits.Add(new CtcSplit(new CtcVertex(t, (int)overlap.ResLabels[j]), overlap.MatchesOf(j).Select(i => (int)overlap.GtLabels[i]).ToArray()));
                    }
                }
            }
        }
    }

    /// <summary>ED and EC over the result's edges, EA over the reference's edges.</summary>
    internal void CountEdges(IReadOnlyList<CtcTrack> gtTracks, IReadOnlyList<CtcTrack> resTracks)
    {
        var gt = gtTracks.ToDictionary(t => t.Label);
        var res = resTracks.ToDictionary(t => t.Label);
        foreach (var edge in Edges(res.Values))
        {
            var (t1, t2) = (edge.Source.Frame, edge.Target.Frame);
            var r1 = overlaps[t1].ResIndex(edge.Source.Label);
            var r2 = overlaps[t2].ResIndex(edge.Target.Label);
            var g1 = overlaps[t1].ResUniqueMatch[r1];
            var g2 = overlaps[t2].ResUniqueMatch[r2];
            if (g1 < 0 || g2 < 0)
            {
                // Not in the reduced result graph: an end is FP or matches several reference vertices.
                continue;
            }

            var kind = EdgeKind(gt, t1, (int)overlaps[t1].GtLabels[g1], t2, (int)overlaps[t2].GtLabels[g2]);
            if (kind is null)
            {
                redundantCount++;
                if (collect)
                {
                    redundant.Add(edge);
                }
            }
            else if (kind != edge.Kind)
            {
                wrongTypeCount++;
                if (collect)
                {
                    wrongType.Add(edge);
                }
            }
        }

        foreach (var edge in Edges(gt.Values))
        {
            var (t1, t2) = (edge.Source.Frame, edge.Target.Frame);
            var r1 = overlaps[t1].GtMatch[overlaps[t1].GtIndex(edge.Source.Label)];
            var r2 = overlaps[t2].GtMatch[overlaps[t2].GtIndex(edge.Target.Label)];
            var present = r1 >= 0 && r2 >= 0
                && overlaps[t1].ResMatchCount[r1] == 1 && overlaps[t2].ResMatchCount[r2] == 1
                && EdgeKind(res, t1, (int)overlaps[t1].ResLabels[r1], t2, (int)overlaps[t2].ResLabels[r2]) is not null;
            if (!present)
            {
                missingCount++;
                if (collect)
                {
                    missing.Add(edge);
                }
            }
        }
    }

    internal CtcErrorReport Report()
    {
        if (!collect)
        {
            return CtcErrorReport.Empty;
        }

        static IReadOnlyList<CtcEdge> Sorted(List<CtcEdge> edges) =>
            edges.OrderBy(e => e.Source.Frame).ThenBy(e => e.Source.Label).ThenBy(e => e.Target.Frame).ThenBy(e => e.Target.Label).ToArray();

        return new CtcErrorReport
        {
            FalseNegatives = falseNegatives.ToArray(),
            FalsePositives = falsePositives.ToArray(),
            Splits = splits.ToArray(),
            RedundantEdges = Sorted(redundant),
            MissingEdges = Sorted(missing),
            WrongTypeEdges = Sorted(wrongType),
        };
    }

    /// <summary>Every edge of a track graph: each child's parent link, then the track links along each track.</summary>
    private static IEnumerable<CtcEdge> Edges(IEnumerable<CtcTrack> tracks)
    {
        var byLabel = tracks.ToDictionary(t => t.Label);
        foreach (var track in byLabel.Values.OrderBy(t => t.Label))
        {
            if (track.Parent != 0)
            {
                var parent = byLabel[track.Parent];
                yield return new CtcEdge(new CtcVertex(parent.End, parent.Label), new CtcVertex(track.Begin, track.Label), CtcEdgeKind.ParentLink);
            }

            for (var t = track.Begin; t < track.End; t++)
            {
                yield return new CtcEdge(new CtcVertex(t, track.Label), new CtcVertex(t + 1, track.Label), CtcEdgeKind.TrackLink);
            }
        }
    }

    /// <summary>The kind of the edge between two vertices in a track graph, or null when there is none (java-ctcmetrics <c>ExistGTEdge</c>).</summary>
    private static CtcEdgeKind? EdgeKind(Dictionary<int, CtcTrack> tracks, int t1, int label1, int t2, int label2)
    {
        if (label1 == label2)
        {
            return t2 == t1 + 1 ? CtcEdgeKind.TrackLink : null;
        }

        return tracks.TryGetValue(label1, out var parent) && tracks.TryGetValue(label2, out var child)
            && parent.End == t1 && child.Begin == t2 && child.Parent == label1
            ? CtcEdgeKind.ParentLink
            : null;
    }
}
