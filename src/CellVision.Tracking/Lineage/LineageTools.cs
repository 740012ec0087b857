using CellVision.Core.Annotations;

namespace CellVision.Tracking;

/// <summary>What <see cref="LineageTools.TagProliferators"/> found, counted in root tracks.</summary>
/// <param name="Proliferators">Tracks with at least one division.</param>
/// <param name="NonProliferators">Tracks without division (covering the window, when one was given).</param>
/// <param name="Invisible">Tracks without division that do not cover the window.</param>
public readonly record struct ProliferatorCounts(int Proliferators, int NonProliferators, int Invisible);

/// <summary>How <see cref="LineageTools.RemoveShortTracks"/> measures a track.</summary>
public enum TrackLengthMeasure
{
    /// <summary>
    /// ELEPHANT's measure: the timepoints from the root to the track's latest spot (the longest path, in links when
    /// the track has no gaps). A track of one spot has length 0.
    /// </summary>
    Timepoints,

    /// <summary>The number of spots in the track (all branches together).</summary>
    Spots,
}

/// <summary>
/// ELEPHANT's lineage actions on a <see cref="LineageGraph"/>: division, progenitor and proliferator tags, short-track
/// removal, tag mapping and removal by tag. A root track is a spot without incoming link and everything reachable
/// from it; roots are visited by timepoint and then identifier.
/// </summary>
/// <remarks>
/// ELEPHANT's "remove self links" has no counterpart: it removes links whose source and target are the same spot,
/// which <see cref="LineageGraph.AddLink"/> never makes (a link must go forward in time). Links of zero length
/// (a spot and its successor at the same position) are legitimate — a cell that did not move, or a spot interpolated at
/// its child's position — so they are not removed either.
/// </remarks>
public static class LineageTools
{
    /// <summary>A filter for <see cref="TagProgenitors"/> and <see cref="DivisionCounts.PerTrack"/> that keeps only roots tagged "Completed" in the "Status" set, as ELEPHANT does.</summary>
    public static readonly Func<Spot, bool> IsCompleted = spot => LineageTags.Get(spot, TagSetNames.Status) == TagSetNames.Completed;

    /// <summary>
    /// ELEPHANT's "tag dividing cells": in the "Division" set, a spot with two or more children becomes "Dividing", a
    /// spot whose parent has two or more children "Divided" (unless it divides itself: "Dividing" wins), any other spot
    /// "Non-dividing".
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <returns>The number of dividing spots.</returns>
    public static int TagDivisions(LineageGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var dividing = 0;
        foreach (var spot in graph.Spots)
        {
            string tag;
            if (spot.Outgoing.Count >= 2)
            {
                tag = TagSetNames.Dividing;
                dividing++;
            }
            else
            {
                tag = spot.Incoming.Any(l => l.Source.Outgoing.Count >= 2) ? TagSetNames.Divided : TagSetNames.NonDividing;
            }

            spot.Tags[TagSetNames.Division] = tag;
        }

        return dividing;
    }

    /// <summary>
    /// ELEPHANT's "tag progenitors": every spot and link gets "unlabeled" in the "Progenitor" set, then the root tracks
    /// are numbered "1", "2", … in root order and every spot and link of a track gets its number.
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="includeRoot">Which roots to number (null: all; ELEPHANT: <see cref="IsCompleted"/>).</param>
    /// <param name="maxCount">At most this many tracks are numbered (ELEPHANT: 255); later roots stay "unlabeled".</param>
    /// <returns>The number of tracks numbered.</returns>
    public static int TagProgenitors(LineageGraph graph, Func<Spot, bool>? includeRoot = null, int maxCount = 255)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        foreach (var spot in graph.Spots)
        {
            spot.Tags[TagSetNames.Progenitor] = TagSetNames.Unlabeled;
        }

        foreach (var link in graph.Links)
        {
            link.Tags[TagSetNames.Progenitor] = TagSetNames.Unlabeled;
        }

        var spots = new List<Spot>();
        var links = new List<Link>();
        var number = 0;
        foreach (var root in Tracks.Roots(graph, includeRoot))
        {
            if (number == maxCount)
            {
                break;
            }

            var tag = (++number).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Tracks.Collect(root, spots, links);
            spots.ForEach(s => s.Tags[TagSetNames.Progenitor] = tag);
            links.ForEach(l => l.Tags[TagSetNames.Progenitor] = tag);
        }

        return number;
    }

    /// <summary>
    /// ELEPHANT's "tag proliferators": in the "Proliferator" set every spot and link of a root track with at least
    /// one division becomes "Proliferator", of a track without division "Non-proliferator" — or, when a
    /// <paramref name="window"/> is given and the track does not cover it (it starts after window.First or ends before
    /// window.Last), "Invisible". A spot shared by several root tracks is a proliferator if any of them is.
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="window">The observation window a non-dividing track must cover to count as a non-proliferator
    /// (ELEPHANT's intent: timepoints 100 to 350; its test can never pass, so ELEPHANT tags every non-dividing track
    /// "Invisible"). Null: every non-dividing track is a non-proliferator.</param>
    /// <returns>The tracks found of each kind.</returns>
    public static ProliferatorCounts TagProliferators(LineageGraph graph, (int First, int Last)? window = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var spots = new List<Spot>();
        var links = new List<Link>();
        var proliferating = new HashSet<Spot>();
        var proliferatingLinks = new HashSet<Link>();
        var others = new List<(string Tag, Spot[] Spots, Link[] Links)>();
        int proliferators = 0, nonProliferators = 0, invisible = 0;
        foreach (var root in Tracks.Roots(graph))
        {
            Tracks.Collect(root, spots, links);
            if (spots.Any(s => s.Outgoing.Count >= 2))
            {
                proliferators++;
                proliferating.UnionWith(spots);
                proliferatingLinks.UnionWith(links);
                continue;
            }

            var covers = window is not { } w || (root.Timepoint <= w.First && spots.Max(s => s.Timepoint) >= w.Last);
            if (covers)
            {
                nonProliferators++;
            }
            else
            {
                invisible++;
            }

            others.Add((covers ? TagSetNames.NonProliferator : TagSetNames.Invisible, [.. spots], [.. links]));
        }

        foreach (var spot in proliferating)
        {
            spot.Tags[TagSetNames.ProliferatorSet] = TagSetNames.Proliferator;
        }

        foreach (var link in proliferatingLinks)
        {
            link.Tags[TagSetNames.ProliferatorSet] = TagSetNames.Proliferator;
        }

        foreach (var (tag, trackSpots, trackLinks) in others)
        {
            foreach (var spot in trackSpots.Where(s => !proliferating.Contains(s)))
            {
                spot.Tags[TagSetNames.ProliferatorSet] = tag;
            }

            foreach (var link in trackLinks.Where(l => !proliferatingLinks.Contains(l)))
            {
                link.Tags[TagSetNames.ProliferatorSet] = tag;
            }
        }

        return new ProliferatorCounts(proliferators, nonProliferators, invisible);
    }

    /// <summary>
    /// ELEPHANT's "remove short tracks": a root track shorter than <paramref name="minimumLength"/> loses its spots
    /// (and their links). With <paramref name="keepAnnotated"/> (ELEPHANT's behaviour) a track holding a spot whose
    /// tracking tag is Approved is kept whatever its length, and of a short track only the spots whose detection and
    /// tracking tags are both unlabeled are removed. Spots that also belong to a kept track are never removed.
    /// </summary>
    /// <param name="graph">The graph to edit.</param>
    /// <param name="minimumLength">Tracks at least this long are kept.</param>
    /// <param name="measure">How a track's length is measured (ELEPHANT: <see cref="TrackLengthMeasure.Timepoints"/>, the "minimum number of links").</param>
    /// <param name="keepAnnotated">Protect approved tracks and annotated spots, as ELEPHANT does.</param>
    /// <returns>The number of spots removed.</returns>
    public static int RemoveShortTracks(LineageGraph graph, int minimumLength, TrackLengthMeasure measure = TrackLengthMeasure.Timepoints, bool keepAnnotated = true)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumLength);
        var spots = new List<Spot>();
        var kept = new HashSet<Spot>();
        var candidates = new List<Spot>();
        foreach (var root in Tracks.Roots(graph))
        {
            Tracks.Collect(root, spots);
            var length = measure == TrackLengthMeasure.Spots ? spots.Count : spots.Max(s => s.Timepoint) - root.Timepoint;
            if (length >= minimumLength || (keepAnnotated && spots.Any(s => s.TrackingTag == TrackingTag.Approved)))
            {
                kept.UnionWith(spots);
                continue;
            }

            candidates.AddRange(keepAnnotated
                ? spots.Where(s => s.DetectionTag == DetectionTag.Unlabeled && s.TrackingTag == TrackingTag.Unlabeled)
                : spots);
        }

        var removed = 0;
        foreach (var spot in candidates)
        {
            if (!kept.Contains(spot) && graph.RemoveSpot(spot))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>
    /// ELEPHANT's "map spot tag": every spot whose tag in <paramref name="fromSet"/> is <paramref name="fromTag"/>
    /// gets <paramref name="toTag"/> in <paramref name="toSet"/>.
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="fromSet">The tag set read.</param>
    /// <param name="fromTag">The tag looked for; null selects spots without a tag in that set.</param>
    /// <param name="toSet">The tag set written (may be the same).</param>
    /// <param name="toTag">The tag written; null removes the spots' tag in that set.</param>
    /// <returns>The number of spots changed.</returns>
    public static int MapSpotTags(LineageGraph graph, string fromSet, string? fromTag, string toSet, string? toTag)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var selected = graph.Spots.Where(s => LineageTags.Get(s, fromSet) == fromTag).ToList();
        selected.ForEach(s => LineageTags.Set(s, toSet, toTag));
        return selected.Count;
    }

    /// <summary>ELEPHANT's "map link tag": every link whose tag in <paramref name="fromSet"/> is <paramref name="fromTag"/> gets <paramref name="toTag"/> in <paramref name="toSet"/>.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="fromSet">The tag set read.</param>
    /// <param name="fromTag">The tag looked for; null selects links without a tag in that set.</param>
    /// <param name="toSet">The tag set written.</param>
    /// <param name="toTag">The tag written; null removes the links' tag in that set.</param>
    /// <returns>The number of links changed.</returns>
    public static int MapLinkTags(LineageGraph graph, string fromSet, string? fromTag, string toSet, string? toTag)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var selected = graph.Links.Where(l => LineageTags.Get(l, fromSet) == fromTag).ToList();
        selected.ForEach(l => LineageTags.Set(l, toSet, toTag));
        return selected.Count;
    }

    /// <summary>ELEPHANT's "remove spots by tag": removes every spot (with its links) whose tag in <paramref name="tagSet"/> is <paramref name="tag"/>.</summary>
    /// <param name="graph">The graph to edit.</param>
    /// <param name="tagSet">The tag set.</param>
    /// <param name="tag">The tag; null selects spots without a tag in that set.</param>
    /// <returns>The number of spots removed.</returns>
    public static int RemoveSpotsByTag(LineageGraph graph, string tagSet, string? tag)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var selected = graph.Spots.Where(s => LineageTags.Get(s, tagSet) == tag).ToList();
        selected.ForEach(s => graph.RemoveSpot(s));
        return selected.Count;
    }

    /// <summary>ELEPHANT's "remove links by tag": removes every link whose tag in <paramref name="tagSet"/> is <paramref name="tag"/>.</summary>
    /// <param name="graph">The graph to edit.</param>
    /// <param name="tagSet">The tag set.</param>
    /// <param name="tag">The tag; null selects links without a tag in that set.</param>
    /// <returns>The number of links removed.</returns>
    public static int RemoveLinksByTag(LineageGraph graph, string tagSet, string? tag)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var selected = graph.Links.Where(l => LineageTags.Get(l, tagSet) == tag).ToList();
        selected.ForEach(l => graph.RemoveLink(l));
        return selected.Count;
    }
}
