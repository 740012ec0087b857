using CellVision.Core.Annotations;
using System.Runtime.InteropServices;
using CellVision.Core.Spatial;

namespace CellVision.Tracking;

/// <summary>
/// ELEPHANT's nearest-neighbour linking (the client's <c>NearestNeighborLinkingAction</c>): links the spots of a
/// timepoint to parents at earlier timepoints, allowing divisions, optionally searching around motion-corrected
/// positions.
/// </summary>
/// <remarks>
/// <para>Linking timepoint t (t ≥ 1):</para>
/// <list type="number">
/// <item>Every link into t whose tracking tag is <see cref="TrackingTag.Unlabeled"/> is removed; approved links stay.</item>
/// <item>The spots to link are the spots at t whose detection tag is tp, fn or unlabeled and that have no incoming link.</item>
/// <item>Each gets a search position p̂ and a squared displacement from the <see cref="ISpotMotionEstimator"/>, or
/// p̂ = its position when there is none (then the squared displacement of a candidate is its squared distance d²).</item>
/// <item>Up to <see cref="NearestNeighborLinkingOptions.Passes"/> passes visit every spot not yet linked. For depth
/// k = 0 … depth − 1 (while t − 1 − k ≥ 0) the <see cref="NearestNeighborLinkingOptions.SearchNeighbors"/> nearest spots
/// at t − 1 − k are examined by increasing distance: ineligible ones (fp, tn, tb, fb) are skipped but counted; the
/// search of that depth stops at the first one farther than the threshold. A candidate parent accepts
/// <c>maxEdges</c> children if the squared displacement exceeds 1, if one of its links made in this run had a squared
/// displacement above 1, or if d² &lt; 1 and one of its links has a recorded distance below 1 (links not made in this
/// run count as 0); otherwise 1. If its approved links alone reach that number it is passed over. If all its links
/// reach it, its longest non-approved link (by the d² recorded when this run made it, else its squared length) is
/// compared: if shorter than d² the candidate is passed over, otherwise that link is dropped and its child searches
/// again in the next pass. Then the spot is linked (tracking tag unlabeled) — through a new spot at t − 1 when
/// interpolation is on and the parent is at t − 2 or earlier — and its search ends.</item>
/// <item>Dropped links are removed from the graph when the passes end.</item>
/// </list>
/// <para>
/// Where ELEPHANT's Java code and the rules above part ways we follow the rules: a dropped link no longer counts
/// against its parent's capacity nor can it be dropped again (in ELEPHANT it stays among the parent's links until
/// the passes end, so it is picked as the longest link again and the parent can collect more than maxEdges children,
/// and a child already relinked elsewhere can be sent searching again and get two parents); and links of the spot
/// with Mastodon pool index 0 are not exempt from removal. Ties are broken deterministically: neighbours at equal
/// distance by their order in the graph's timepoint list (interpolated spots last), equally long links by their order
/// among the parent's outgoing links.
/// </para>
/// <para>
/// A crop box restricts which links are removed in step 1 (both ends inside) and which spots are linked (inside);
/// parents are searched among all spots of the earlier timepoints, as in ELEPHANT's "around mouse" mode.
/// </para>
/// </remarks>
public sealed class NearestNeighborLinker
{
    private readonly ISpotMotionEstimator? motionEstimator;

    /// <summary>Creates a linker.</summary>
    /// <param name="options">The settings (null: ELEPHANT's defaults).</param>
    /// <param name="motionEstimator">Gives motion-corrected search positions (e.g. from an optical-flow model); null searches around the spots' own positions.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public NearestNeighborLinker(NearestNeighborLinkingOptions? options = null, ISpotMotionEstimator? motionEstimator = null)
    {
        Options = options ?? new NearestNeighborLinkingOptions();
        Options.Validate();
        this.motionEstimator = motionEstimator;
    }

    /// <summary>The settings.</summary>
    public NearestNeighborLinkingOptions Options { get; }

    /// <summary>Links the spots of one timepoint to their parents at earlier timepoints.</summary>
    /// <param name="graph">The graph to edit.</param>
    /// <param name="timepoint">The timepoint whose spots get parents; timepoint 0 has none to get, and nothing changes.</param>
    /// <param name="cropBox">Restrict the removal and the linking to spots inside this box (physical units); null for the whole frame.</param>
    /// <param name="cancellationToken">Cancels the run before the timepoint starts or while the motion estimator runs; either way the graph is left untouched. Once links are being removed and made the timepoint is finished.</param>
    /// <returns>What changed.</returns>
    public LinkingResult LinkTimepoint(LineageGraph graph, int timepoint, PhysicalBox? cropBox = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfNegative(timepoint);
        cancellationToken.ThrowIfCancellationRequested();
        return timepoint == 0 ? default : new TimepointRun(this, graph, timepoint, cropBox).Run(cancellationToken);
    }

    /// <summary>
    /// Links <see cref="NearestNeighborLinkingOptions.TimeRange"/> timepoints backwards from
    /// <paramref name="currentTimepoint"/>: current, current − 1, …, max(1, current − timeRange + 1), as ELEPHANT does.
    /// </summary>
    /// <param name="graph">The graph to edit.</param>
    /// <param name="currentTimepoint">The last timepoint to link (the first processed).</param>
    /// <param name="cropBox">Restrict the run to this box (physical units); null for whole frames.</param>
    /// <param name="progress">Receives a report after each timepoint.</param>
    /// <param name="cancellationToken">Cancels the run between timepoints or while the motion estimator runs (timepoints already linked stay linked).</param>
    /// <returns>What changed.</returns>
    public LinkingResult LinkTimeRange(
        LineageGraph graph, int currentTimepoint, PhysicalBox? cropBox = null,
        IProgress<LinkingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(currentTimepoint);
        return LinkTimepoints(graph, Math.Max(1, currentTimepoint - Options.TimeRange + 1), currentTimepoint, cropBox, progress, cancellationToken);
    }

    /// <summary>Links every timepoint from <paramref name="last"/> down to max(1, <paramref name="first"/>), backwards.</summary>
    /// <param name="graph">The graph to edit.</param>
    /// <param name="first">The earliest timepoint to link (processed last).</param>
    /// <param name="last">The latest timepoint to link (processed first).</param>
    /// <param name="cropBox">Restrict the run to this box (physical units); null for whole frames.</param>
    /// <param name="progress">Receives a report after each timepoint.</param>
    /// <param name="cancellationToken">Cancels the run between timepoints or while the motion estimator runs (timepoints already linked stay linked).</param>
    /// <returns>What changed.</returns>
    public LinkingResult LinkTimepoints(
        LineageGraph graph, int first, int last, PhysicalBox? cropBox = null,
        IProgress<LinkingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        var start = Math.Max(1, first);
        var count = Math.Max(0, last - start + 1);
        var total = default(LinkingResult);
        var done = 0;
        for (var t = last; t >= start; t--)
        {
            total += LinkTimepoint(graph, t, cropBox, cancellationToken);
            progress?.Report(new LinkingProgress(t, ++done, count, total));
        }

        return total;
    }

    /// <summary>Links every timepoint of the graph, from the last one backwards to timepoint 1.</summary>
    /// <param name="graph">The graph to edit.</param>
    /// <param name="progress">Receives a report after each timepoint.</param>
    /// <param name="cancellationToken">Cancels the run between timepoints or while the motion estimator runs (timepoints already linked stay linked).</param>
    /// <returns>What changed.</returns>
    public LinkingResult LinkAll(LineageGraph graph, IProgress<LinkingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var last = graph.Timepoints.DefaultIfEmpty(0).Max();
        return last < 1 ? default : LinkTimepoints(graph, 1, last, null, progress, cancellationToken);
    }

    private static bool MayBeLinked(DetectionTag tag) =>
        tag is DetectionTag.TruePositive or DetectionTag.FalseNegative or DetectionTag.Unlabeled;

    /// <summary>What this run recorded about a link it made.</summary>
    private readonly record struct RunLink(double SquaredDistance, double SquaredDisplacement);

    /// <summary>One timepoint's linking.</summary>
    private sealed class TimepointRun
    {
        private readonly NearestNeighborLinker owner;
        private readonly NearestNeighborLinkingOptions options;
        private readonly LineageGraph graph;
        private readonly int timepoint;
        private readonly PhysicalBox? cropBox;
        private readonly double threshold2;
        private readonly int neighbors;
        private readonly Dictionary<Link, RunLink> runLinks = [];
        private readonly HashSet<Link> dropped = [];
        private readonly Dictionary<Spot, int> candidateIndex = [];
        private readonly List<Spot> interpolatedSpots = [];
        private readonly Neighbor[] neighborBuffer;
        private List<Spot> candidates = [];
        private Point3[] positions = [];
        private double[] displacements = [];
        private bool[] linked = [];
        private bool[] interpolated = [];
        private Level?[] levels = [];
        private ExtraIndex? extras;
        private int removedBefore;

        public TimepointRun(NearestNeighborLinker owner, LineageGraph graph, int timepoint, PhysicalBox? cropBox)
        {
            this.owner = owner;
            options = owner.Options;
            this.graph = graph;
            this.timepoint = timepoint;
            this.cropBox = cropBox;
            threshold2 = options.DistanceThreshold * options.DistanceThreshold;
            neighbors = options.SearchNeighbors;
            neighborBuffer = new Neighbor[neighbors];
        }

        public LinkingResult Run(CancellationToken cancellationToken)
        {
            // The spots to link are chosen and their motion estimated before anything changes, so that cancelling the
            // estimate leaves the graph as it was: a spot qualifies when every incoming link it has is about to be removed.
            SelectCandidates(cancellationToken);
            RemoveUnlabeledIncomingLinks();
            var useMotion = owner.motionEstimator is not null;
            levels = new Level?[Math.Min(options.SearchDepth, timepoint)];
            extras = new ExtraIndex(neighbors, options.DistanceThreshold);

            for (var pass = 0; pass < options.Passes; pass++)
            {
                var changed = false;
                for (var i = 0; i < candidates.Count; i++)
                {
                    if (!linked[i])
                    {
                        changed |= LinkSpot(i, useMotion);
                    }
                }

                if (!changed)
                {
                    break; // the next pass would see exactly the same state
                }
            }

            foreach (var link in dropped)
            {
                graph.RemoveLink(link);
            }

            var added = 0;
            foreach (var link in runLinks.Keys)
            {
                if (!dropped.Contains(link))
                {
                    added++;
                }
            }

            return new LinkingResult(added, removedBefore, interpolatedSpots.Count, 1);
        }

        private void RemoveUnlabeledIncomingLinks()
        {
            var toRemove = new List<Link>();
            foreach (var spot in graph.SpotsAt(timepoint))
            {
                foreach (var link in spot.Incoming)
                {
                    if (WillBeRemoved(link))
                    {
                        toRemove.Add(link);
                    }
                }
            }

            foreach (var link in toRemove)
            {
                graph.RemoveLink(link);
            }

            removedBefore = toRemove.Count;
        }

        private void SelectCandidates(CancellationToken cancellationToken)
        {
            candidates = [];
            foreach (var spot in graph.SpotsAt(timepoint))
            {
                if (MayBeLinked(spot.DetectionTag) && (cropBox is not { } box || Inside(box, spot)) && spot.Incoming.All(WillBeRemoved))
                {
                    candidateIndex[spot] = candidates.Count;
                    candidates.Add(spot);
                }
            }

            var n = candidates.Count;
            positions = new Point3[n];
            displacements = new double[n];
            linked = new bool[n];
            interpolated = new bool[n];
            if (owner.motionEstimator is { } estimator && n > 0)
            {
                var estimates = estimator.EstimatePrevious(timepoint, candidates, cancellationToken);
                if (estimates is null || estimates.Count != n)
                {
                    throw new InvalidOperationException($"The motion estimator returned {estimates?.Count ?? 0} estimates for {n} spots at timepoint {timepoint}.");
                }

                for (var i = 0; i < n; i++)
                {
                    var e = estimates[i];
                    positions[i] = new Point3(e.X, e.Y, e.Z);
                    if (!positions[i].IsFinite || !double.IsFinite(e.SquaredDisplacement))
                    {
                        throw new InvalidOperationException($"The motion estimate of {candidates[i]} is not finite.");
                    }

                    displacements[i] = e.SquaredDisplacement;
                }
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    positions[i] = new Point3(candidates[i].X, candidates[i].Y, candidates[i].Z);
                }
            }
        }

        /// <summary>Searches a parent for candidate i; returns whether anything changed.</summary>
        private bool LinkSpot(int i, bool useMotion)
        {
            var spot = candidates[i];
            var changed = false;
            for (var k = 0; k < levels.Length; k++)
            {
                var level = levels[k] ??= new Level(graph.SpotsAt(timepoint - 1 - k), positions, neighbors, options.DistanceThreshold);
                var count = level.Neighbors(i, neighborBuffer);
                if (k == 0 && extras!.Count > 0)
                {
                    count = extras.Merge(positions[i], neighborBuffer, count, level.SpotCount);
                }

                var list = neighborBuffer.AsSpan(0, count);

                for (var j = 0; j < list.Length; j++)
                {
                    var parent = list[j].Index < level.SpotCount ? level.Spots[list[j].Index] : interpolatedSpots[list[j].Index - level.SpotCount];
                    if (!MayBeLinked(parent.DetectionTag))
                    {
                        continue;
                    }

                    var d2 = list[j].SquaredDistance;
                    if (d2 > threshold2)
                    {
                        break;
                    }

                    var sqDisp = useMotion ? displacements[i] : d2;
                    if (!MayTake(parent, d2, sqDisp, ref changed))
                    {
                        continue;
                    }

                    if (options.UseInterpolation && k > 0 && !interpolated[i])
                    {
                        var p = positions[i];
                        parent = graph.AddSpot(timepoint - 1, p.X, p.Y, p.Z, spot.Covariance);
                        interpolated[i] = true;
                        interpolatedSpots.Add(parent);
                        extras!.Add(p);
                    }

                    var link = graph.FindLink(parent, spot);
                    if (link is not null)
                    {
                        dropped.Remove(link); // the spot returns to the parent whose link it lost in an earlier pass
                    }
                    else
                    {
                        link = graph.AddLink(parent, spot, TrackingTag.Unlabeled);
                    }

                    runLinks[link] = new RunLink(d2, sqDisp);
                    linked[i] = true;
                    return true;
                }
            }

            return changed;
        }

        /// <summary>ELEPHANT's capacity and competition rules for one parent candidate; may drop the parent's longest link.</summary>
        private bool MayTake(Spot parent, double d2, double sqDisp, ref bool changed)
        {
            var maxEdges = options.MaxEdges;
            var accept = sqDisp > 1.0 ? maxEdges : 1;
            var approved = 0;
            var active = 0;
            Link? longest = null;
            var longestLength = double.NegativeInfinity;
            foreach (var edge in parent.Outgoing)
            {
                if (dropped.Contains(edge))
                {
                    continue;
                }

                active++;
                var made = runLinks.TryGetValue(edge, out var info);
                if ((made ? info.SquaredDisplacement : 0.0) > 1.0)
                {
                    accept = maxEdges;
                }

                if (d2 < 1.0 && (made ? info.SquaredDistance : 0.0) < 1.0)
                {
                    accept = maxEdges;
                }

                if (edge.TrackingTag == TrackingTag.Approved)
                {
                    approved++;
                }
                else
                {
                    var length = made ? info.SquaredDistance : edge.SquaredLength;
                    if (longest is null || length > longestLength)
                    {
                        longest = edge;
                        longestLength = length;
                    }
                }
            }

            if (approved >= accept)
            {
                return false;
            }

            if (active >= accept && longest is not null)
            {
                if (longestLength < d2)
                {
                    return false;
                }

                dropped.Add(longest);
                changed = true;
                if (candidateIndex.TryGetValue(longest.Target, out var child))
                {
                    linked[child] = false;
                }
                else if (!runLinks.ContainsKey(longest))
                {
                    removedBefore++;
                }
            }

            return true;
        }

        private static bool Inside(PhysicalBox box, Spot spot) => box.Contains(spot.X, spot.Y, spot.Z);

        /// <summary>Step 1's test: an unlabeled link into the timepoint, inside the crop box when there is one.</summary>
        private bool WillBeRemoved(Link link) =>
            link.TrackingTag == TrackingTag.Unlabeled && (cropBox is not { } box || (Inside(box, link.Source) && Inside(box, link.Target)));

        /// <summary>The spots of one earlier timepoint and every candidate's nearest ones among them.</summary>
        private sealed class Level
        {
            private readonly int k;
            private readonly int[] indices;
            private readonly double[] distances;

            public Level(IReadOnlyList<Spot> spots, Point3[] queries, int k, double threshold)
            {
                Spots = [.. spots];
                this.k = k;
                indices = new int[queries.Length * k];
                distances = new double[queries.Length * k];
                if (Spots.Length > 0)
                {
                    var tree = KdTree3.FromSpots(Spots);
                    tree.NearestBatch(queries, k, indices, distances, threshold);
                }
                else
                {
                    indices.AsSpan().Fill(-1);
                }
            }

            public Spot[] Spots { get; }

            public int SpotCount => Spots.Length;

            public int Neighbors(int query, Span<Neighbor> into)
            {
                var count = 0;
                for (var j = 0; j < k; j++)
                {
                    var index = indices[query * k + j];
                    if (index < 0)
                    {
                        break;
                    }

                    into[count++] = new Neighbor(index, distances[query * k + j]);
                }

                return count;
            }
        }
    }

    /// <summary>
    /// Spots interpolated at t − 1 during the run, searchable as parents like the frame's own spots: a k-d tree over
    /// most of them, rebuilt when the unindexed tail grows larger than the indexed part, plus a linear scan of the tail.
    /// </summary>
    private sealed class ExtraIndex(int k, double threshold)
    {
        private readonly List<Point3> points = [];
        private readonly List<Neighbor> merged = [];
        private readonly double threshold2 = threshold * threshold;
        private KdTree3? tree;
        private int indexed;

        public int Count => points.Count;

        public void Add(Point3 point) => points.Add(point);

        /// <summary>
        /// Merges the frame's first <paramref name="count"/> neighbours in <paramref name="buffer"/> with the interpolated
        /// spots near <paramref name="query"/> (indices offset by <paramref name="offset"/>) and writes the k nearest back.
        /// </summary>
        public int Merge(Point3 query, Neighbor[] buffer, int count, int offset)
        {
            if (points.Count - indexed > Math.Max(32, indexed))
            {
                tree = KdTree3.Build(CollectionsMarshal.AsSpan(points), maxDegreeOfParallelism: 1);
                indexed = points.Count;
            }

            merged.Clear();
            for (var j = 0; j < count; j++)
            {
                merged.Add(buffer[j]);
            }

            if (tree is not null)
            {
                Span<int> found = stackalloc int[k];
                Span<double> distances = stackalloc double[k];
                var hits = tree.Nearest(query.X, query.Y, query.Z, found, distances, threshold);
                for (var j = 0; j < hits; j++)
                {
                    merged.Add(new Neighbor(offset + found[j], distances[j]));
                }
            }

            for (var j = indexed; j < points.Count; j++)
            {
                var p = points[j];
                double dx = p.X - query.X, dy = p.Y - query.Y, dz = p.Z - query.Z;
                var d2 = dx * dx + dy * dy + dz * dz;
                if (d2 <= threshold2)
                {
                    merged.Add(new Neighbor(offset + j, d2));
                }
            }

            merged.Sort();
            var taken = Math.Min(k, merged.Count);
            merged.CopyTo(0, buffer, 0, taken);
            return taken;
        }
    }
}
