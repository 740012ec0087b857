using CellVision.Core.Annotations;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Linking;

/// <summary>
/// Compares <see cref="NearestNeighborLinker"/> (k-d trees, batched queries, an index of interpolated spots) with a
/// direct transcription of the rules that sorts every spot of a timepoint by distance, on crowded random scenes where
/// competitions, divisions, ineligible neighbours, approved links and interpolation all occur.
/// </summary>
public class NearestNeighborLinkerReferenceTests
{
    [Theory]
    [InlineData(1, 1, false, 3, 2)]
    [InlineData(2, 2, false, 3, 2)]
    [InlineData(3, 2, true, 3, 2)]
    [InlineData(4, 3, true, 5, 2)]
    [InlineData(5, 1, false, 2, 1)]
    [InlineData(6, 3, true, 4, 3)]
    public void The_linker_equals_a_brute_force_transcription_of_the_rules(int seed, int depth, bool interpolation, int neighbours, int maxEdges)
    {
        var options = new NearestNeighborLinkingOptions
        {
            SearchDepth = depth,
            UseInterpolation = interpolation,
            SearchNeighbors = neighbours,
            MaxEdges = maxEdges,
            DistanceThreshold = 2.5,
            TimeRange = 4,
        };
        var (graph, copy) = (Scene(seed), Scene(seed));

        var result = new NearestNeighborLinker(options).LinkTimeRange(graph, 4);
        var expectedInterpolated = 0;
        var competitions = 0;
        for (var t = 4; t >= 1; t--)
        {
            var (interpolated, dropped) = ReferenceLink(copy, t, options);
            expectedInterpolated += interpolated;
            competitions += dropped;
        }

        Assert.True(competitions > 0, "the scene should make parents compete");

        Assert.Equal(Describe(copy), Describe(graph));
        Assert.Equal(expectedInterpolated, result.SpotsInterpolated);
        Assert.All(graph.Spots, s => Assert.True(s.Incoming.Count <= 1));
        Assert.All(graph.Spots, s => Assert.True(s.Outgoing.Count(l => l.TrackingTag == TrackingTag.Unlabeled) <= maxEdges));
        if (interpolation && depth > 1)
        {
            Assert.True(result.SpotsInterpolated > 0);
        }
    }

    private static LineageGraph Scene(int seed)
    {
        var random = new Random(seed);
        var graph = new LineageGraph();
        DetectionTag[] tags = [DetectionTag.Unlabeled, DetectionTag.Unlabeled, DetectionTag.Unlabeled, DetectionTag.TruePositive, DetectionTag.FalseNegative, DetectionTag.FalsePositive, DetectionTag.TrueNegative, DetectionTag.TrueBorder];
        var previous = new List<Spot>();
        for (var t = 0; t <= 4; t++)
        {
            var count = 150 + random.Next(100);
            var current = new List<Spot>();
            for (var i = 0; i < count; i++)
            {
                // A 12 × 12 × 12 box: about 1.2 spots per unit ball, so neighbourhoods overlap and parents compete.
                var spot = graph.AddSpot(t, random.NextDouble() * 12, random.NextDouble() * 12, random.NextDouble() * 12, 1.0);
                spot.DetectionTag = tags[random.Next(tags.Length)];
                current.Add(spot);
                if (previous.Count > 0 && random.NextDouble() < 0.1)
                {
                    var parent = previous[random.Next(previous.Count)];
                    if (spot.Incoming.Count == 0)
                    {
                        graph.AddLink(parent, spot, random.NextDouble() < 0.5 ? TrackingTag.Approved : TrackingTag.Unlabeled);
                    }
                }
            }

            previous = current;
        }

        return graph;
    }

    private static List<string> Describe(LineageGraph graph) =>
    [
        .. graph.Links
            .Select(l => FormattableString.Invariant($"{l.Source.Timepoint}:{l.Source.X:R},{l.Source.Y:R},{l.Source.Z:R} -> {l.Target.Timepoint}:{l.Target.X:R},{l.Target.Y:R},{l.Target.Z:R} {l.TrackingTag}"))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The rules of spec §6 written out with brute-force neighbour lists; returns the spots interpolated and the links dropped in competitions.</summary>
    private static (int Interpolated, int Dropped) ReferenceLink(LineageGraph graph, int t, NearestNeighborLinkingOptions o)
    {
        foreach (var link in graph.SpotsAt(t).SelectMany(s => s.Incoming).Where(l => l.TrackingTag == TrackingTag.Unlabeled).ToList())
        {
            graph.RemoveLink(link);
        }

        static bool Eligible(Spot s) => s.DetectionTag is DetectionTag.TruePositive or DetectionTag.FalseNegative or DetectionTag.Unlabeled;
        var candidates = graph.SpotsAt(t).Where(s => Eligible(s) && s.Incoming.Count == 0).ToList();
        var frames = Enumerable.Range(0, Math.Min(o.SearchDepth, t)).Select(k => graph.SpotsAt(t - 1 - k).ToList()).ToList();
        var interpolatedSpots = new List<Spot>();
        var info = new Dictionary<Link, (double Dist, double SqDisp)>();
        var dropped = new HashSet<Link>();
        var linked = new bool[candidates.Count];
        var interpolated = new bool[candidates.Count];
        var thr2 = o.DistanceThreshold * o.DistanceThreshold;
        var drops = 0;
        for (var pass = 0; pass < o.Passes; pass++)
        {
            for (var i = 0; i < candidates.Count; i++)
            {
                if (linked[i])
                {
                    continue;
                }

                var spot = candidates[i];
                for (var k = 0; k < frames.Count && !linked[i]; k++)
                {
                    var pool = k == 0 ? frames[0].Concat(interpolatedSpots).ToList() : frames[k];
                    var nearest = pool
                        .Select((s, index) => (Spot: s, Index: index, D2: Sq(s, spot)))
                        .Where(n => n.D2 <= thr2)
                        .OrderBy(n => n.D2).ThenBy(n => n.Index)
                        .Take(o.SearchNeighbors);
                    foreach (var (parentCandidate, _, d2) in nearest)
                    {
                        if (!Eligible(parentCandidate))
                        {
                            continue;
                        }

                        var accept = d2 > 1.0 ? o.MaxEdges : 1;
                        var active = parentCandidate.Outgoing.Where(e => !dropped.Contains(e)).ToList();
                        foreach (var e in active)
                        {
                            var made = info.TryGetValue(e, out var x);
                            if ((made ? x.SqDisp : 0) > 1.0 || (d2 < 1.0 && (made ? x.Dist : 0) < 1.0))
                            {
                                accept = o.MaxEdges;
                            }
                        }

                        if (active.Count(e => e.TrackingTag == TrackingTag.Approved) >= accept)
                        {
                            continue;
                        }

                        if (active.Count >= accept)
                        {
                            Link? longest = null;
                            var longestLength = double.NegativeInfinity;
                            foreach (var e in active.Where(e => e.TrackingTag != TrackingTag.Approved))
                            {
                                var length = info.TryGetValue(e, out var x) ? x.Dist : e.SquaredLength;
                                if (longest is null || length > longestLength)
                                {
                                    (longest, longestLength) = (e, length);
                                }
                            }

                            if (longest is not null)
                            {
                                if (longestLength < d2)
                                {
                                    continue;
                                }

                                dropped.Add(longest);
                                drops++;
                                var child = candidates.IndexOf(longest.Target);
                                if (child >= 0)
                                {
                                    linked[child] = false;
                                }
                            }
                        }

                        var parent = parentCandidate;
                        if (o.UseInterpolation && k > 0 && !interpolated[i])
                        {
                            parent = graph.AddSpot(t - 1, spot.X, spot.Y, spot.Z, spot.Covariance);
                            interpolated[i] = true;
                            interpolatedSpots.Add(parent);
                        }

                        var link = graph.FindLink(parent, spot);
                        if (link is not null)
                        {
                            dropped.Remove(link);
                        }
                        else
                        {
                            link = graph.AddLink(parent, spot);
                        }

                        info[link] = (d2, d2);
                        linked[i] = true;
                        break;
                    }
                }
            }
        }

        foreach (var link in dropped)
        {
            graph.RemoveLink(link);
        }

        return (interpolatedSpots.Count, drops);
    }

    private static double Sq(Spot a, Spot b)
    {
        double dx = a.X - b.X, dy = a.Y - b.Y, dz = a.Z - b.Z;
        return dx * dx + dy * dy + dz * dz;
    }
}
