namespace CellVision.Core.Annotations;

/// <summary>
/// Spots over time and the links between them: the annotation model that detection, linking, lineage tools and
/// exporters share. Spots are grouped by timepoint; each link goes from an earlier to a later timepoint. A spot may
/// have several outgoing links (a division) and, in a proper lineage, at most one incoming link. The graph is not
/// thread-safe; readers may share it while nobody edits it.
/// </summary>
public sealed class LineageGraph
{
    private readonly Dictionary<int, Spot> spots = [];
    private readonly Dictionary<int, Link> links = [];
    private readonly SortedDictionary<int, List<Spot>> byTimepoint = [];
    private int nextSpotId;
    private int nextLinkId;

    /// <summary>All spots, in no particular order.</summary>
    public IReadOnlyCollection<Spot> Spots => spots.Values;

    /// <summary>All links, in no particular order.</summary>
    public IReadOnlyCollection<Link> Links => links.Values;

    /// <summary>The number of spots.</summary>
    public int SpotCount => spots.Count;

    /// <summary>The number of links.</summary>
    public int LinkCount => links.Count;

    /// <summary>The timepoints that hold at least one spot, in increasing order.</summary>
    public IEnumerable<int> Timepoints => byTimepoint.Where(pair => pair.Value.Count > 0).Select(pair => pair.Key);

    /// <summary>Adds a spot.</summary>
    /// <param name="timepoint">The timepoint (from 0).</param>
    /// <param name="x">Centre X in physical units.</param>
    /// <param name="y">Centre Y in physical units.</param>
    /// <param name="z">Centre Z in physical units.</param>
    /// <param name="covariance">The ellipsoid's covariance.</param>
    /// <returns>The new spot.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timepoint is negative, or the centre or covariance is not finite.</exception>
    public Spot AddSpot(int timepoint, double x, double y, double z, Covariance3 covariance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timepoint);
        if (!double.IsFinite(x) || !double.IsFinite(y) || !double.IsFinite(z))
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"The centre ({x}, {y}, {z}) must be finite.");
        }

        if (!covariance.IsFinite)
        {
            throw new ArgumentOutOfRangeException(nameof(covariance), "The covariance must be finite.");
        }

        var spot = new Spot(nextSpotId++, timepoint, x, y, z, covariance);
        spots.Add(spot.Id, spot);
        if (!byTimepoint.TryGetValue(timepoint, out var list))
        {
            byTimepoint[timepoint] = list = [];
        }

        list.Add(spot);
        return spot;
    }

    /// <summary>
    /// A deep copy: every spot (centre, covariance, tags, quality, label, tag sets) and every link (tracking tag) with
    /// the same identifiers, so that editing the copy leaves this graph as it is.
    /// </summary>
    /// <returns>The copy.</returns>
    public LineageGraph Clone()
    {
        var copy = new LineageGraph { nextSpotId = nextSpotId, nextLinkId = nextLinkId };
        foreach (var spot in spots.Values.OrderBy(s => s.Id))
        {
            var added = new Spot(spot.Id, spot.Timepoint, spot.X, spot.Y, spot.Z, spot.Covariance)
            {
                DetectionTag = spot.DetectionTag, TrackingTag = spot.TrackingTag, Quality = spot.Quality, Label = spot.Label,
            };
            if (spot.HasTags)
            {
                foreach (var (name, value) in spot.Tags)
                {
                    added.Tags[name] = value;
                }
            }

            copy.spots.Add(added.Id, added);
            if (!copy.byTimepoint.TryGetValue(added.Timepoint, out var list))
            {
                copy.byTimepoint[added.Timepoint] = list = [];
            }

            list.Add(added);
        }

        foreach (var link in links.Values.OrderBy(l => l.Id))
        {
            var source = copy.spots[link.Source.Id];
            var target = copy.spots[link.Target.Id];
            var added = new Link(link.Id, source, target) { TrackingTag = link.TrackingTag };
            if (link.HasTags)
            {
                foreach (var (name, value) in link.Tags)
                {
                    added.Tags[name] = value;
                }
            }

            copy.links.Add(added.Id, added);
            source.OutgoingLinks.Add(added);
            target.IncomingLinks.Add(added);
        }

        return copy;
    }

    /// <summary>Adds a spherical spot.</summary>
    /// <param name="timepoint">The timepoint (from 0).</param>
    /// <param name="x">Centre X in physical units.</param>
    /// <param name="y">Centre Y in physical units.</param>
    /// <param name="z">Centre Z in physical units.</param>
    /// <param name="radius">The radius in physical units.</param>
    /// <returns>The new spot.</returns>
    public Spot AddSpot(int timepoint, double x, double y, double z, double radius) =>
        AddSpot(timepoint, x, y, z, Covariance3.Sphere(radius));

    /// <summary>Links a spot to a spot at a later timepoint.</summary>
    /// <param name="source">The earlier spot.</param>
    /// <param name="target">The later spot.</param>
    /// <param name="trackingTag">The link's tracking tag.</param>
    /// <returns>The new link.</returns>
    /// <exception cref="ArgumentException">A spot is not in this graph, the target is not later than the source, or the two are already linked.</exception>
    public Link AddLink(Spot source, Spot target, TrackingTag trackingTag = TrackingTag.Unlabeled)
    {
        RequireMember(source, nameof(source));
        RequireMember(target, nameof(target));
        if (target.Timepoint <= source.Timepoint)
        {
            throw new ArgumentException(
                $"A link must go forward in time: {source} → {target}.", nameof(target));
        }

        if (FindLink(source, target) is not null)
        {
            throw new ArgumentException($"{source} and {target} are already linked.", nameof(target));
        }

        var link = new Link(nextLinkId++, source, target) { TrackingTag = trackingTag };
        links.Add(link.Id, link);
        source.OutgoingLinks.Add(link);
        target.IncomingLinks.Add(link);
        return link;
    }

    /// <summary>Removes a link.</summary>
    /// <param name="link">The link.</param>
    /// <returns>Whether the link was in the graph.</returns>
    public bool RemoveLink(Link link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!links.TryGetValue(link.Id, out var held) || !ReferenceEquals(held, link))
        {
            return false;
        }

        links.Remove(link.Id);
        link.Source.OutgoingLinks.Remove(link);
        link.Target.IncomingLinks.Remove(link);
        return true;
    }

    /// <summary>Removes a spot and all its links.</summary>
    /// <param name="spot">The spot.</param>
    /// <returns>Whether the spot was in the graph.</returns>
    public bool RemoveSpot(Spot spot)
    {
        ArgumentNullException.ThrowIfNull(spot);
        if (!Contains(spot))
        {
            return false;
        }

        foreach (var link in spot.IncomingLinks.ToArray())
        {
            RemoveLink(link);
        }

        foreach (var link in spot.OutgoingLinks.ToArray())
        {
            RemoveLink(link);
        }

        spots.Remove(spot.Id);
        byTimepoint[spot.Timepoint].Remove(spot);
        return true;
    }

    /// <summary>Whether the spot belongs to this graph.</summary>
    /// <param name="spot">The spot.</param>
    public bool Contains(Spot spot) =>
        spot is not null && spots.TryGetValue(spot.Id, out var held) && ReferenceEquals(held, spot);

    /// <summary>The spot with the given identifier, or null.</summary>
    /// <param name="id">The identifier.</param>
    public Spot? FindSpot(int id) => spots.GetValueOrDefault(id);

    /// <summary>The link from <paramref name="source"/> to <paramref name="target"/> in this graph, or null (also for spots of another graph).</summary>
    /// <param name="source">The earlier spot.</param>
    /// <param name="target">The later spot.</param>
    public Link? FindLink(Spot source, Spot target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        foreach (var link in source.OutgoingLinks)
        {
            if (ReferenceEquals(link.Target, target))
            {
                return links.TryGetValue(link.Id, out var held) && ReferenceEquals(held, link) ? link : null;
            }
        }

        return null;
    }

    /// <summary>The spots at one timepoint, in the order they were added (empty when there are none).</summary>
    /// <param name="timepoint">The timepoint.</param>
    public IReadOnlyList<Spot> SpotsAt(int timepoint) =>
        byTimepoint.TryGetValue(timepoint, out var list) ? list : [];

    /// <summary>
    /// The graph cut into tracklets: maximal chains in which every spot but the last has exactly one child and
    /// every spot but the first has exactly one parent. Tracklets are ordered by their first spot's timepoint
    /// and identifier; their parents are tracklets earlier in the list.
    /// </summary>
    public IReadOnlyList<Tracklet> Tracklets()
    {
        var starts = spots.Values
            .Where(spot => spot.IncomingLinks.Count != 1 || spot.IncomingLinks[0].Source.OutgoingLinks.Count != 1)
            .OrderBy(spot => spot.Timepoint).ThenBy(spot => spot.Id)
            .ToList();
        var result = new List<Tracklet>(starts.Count);
        var ofLastSpot = new Dictionary<Spot, Tracklet>();
        foreach (var start in starts)
        {
            var chain = new List<Spot> { start };
            var current = start;
            while (current.OutgoingLinks.Count == 1 && current.OutgoingLinks[0].Target.IncomingLinks.Count == 1)
            {
                current = current.OutgoingLinks[0].Target;
                chain.Add(current);
            }

            Tracklet? parent = null;
            if (start.IncomingLinks.Count == 1)
            {
                ofLastSpot.TryGetValue(start.IncomingLinks[0].Source, out parent);
            }

            var tracklet = new Tracklet(result.Count + 1, chain, parent);
            result.Add(tracklet);
            ofLastSpot[current] = tracklet;
        }

        return result;
    }

    private void RequireMember(Spot spot, string name)
    {
        ArgumentNullException.ThrowIfNull(spot, name);
        if (!Contains(spot))
        {
            throw new ArgumentException($"{spot} does not belong to this graph.", name);
        }
    }
}
