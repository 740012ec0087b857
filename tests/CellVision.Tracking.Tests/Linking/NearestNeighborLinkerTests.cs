using CellVision.Core.Annotations;
using CellVision.Core.Spatial;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Linking;

/// <summary>
/// Hand-built scenes for ELEPHANT's nearest-neighbour linking rules (spec §6). Each expected result is worked out from
/// the rules in the comments: d² is the squared distance of a candidate parent, sqdisp the squared displacement (d²
/// without a motion estimator), "accept" the number of children the candidate parent takes.
/// </summary>
public class NearestNeighborLinkerTests
{
    [Fact]
    public void Each_spot_is_linked_to_its_nearest_spot_one_timepoint_earlier()
    {
        var graph = new LineageGraph();
        var a = Add(graph, 0, 0, 0, 0);
        var b = Add(graph, 0, 10, 0, 0);
        var a1 = Add(graph, 1, 0.5, 0, 0);
        var b1 = Add(graph, 1, 10, -0.5, 0);

        var result = new NearestNeighborLinker().LinkTimepoint(graph, 1);

        Assert.Same(a, ParentOf(a1));
        Assert.Same(b, ParentOf(b1));
        Assert.Equal(new LinkingResult(2, 0, 0, 1), result);
        Assert.All(graph.Links, link => Assert.Equal(TrackingTag.Unlabeled, link.TrackingTag));
    }

    [Fact]
    public void A_second_child_is_accepted_when_its_displacement_exceeds_one()
    {
        // c1: d² = 0.25 → accept 1, P has no link → linked. c2: d² = 1.21 > 1 → accept 2, P has 1 link → linked.
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        var c1 = Add(graph, 1, 0.5, 0, 0);
        var c2 = Add(graph, 1, 0, 1.1, 0);

        new NearestNeighborLinker().LinkTimepoint(graph, 1);

        Assert.Same(p, ParentOf(c1));
        Assert.Same(p, ParentOf(c2));
    }

    [Fact]
    public void A_second_child_is_rejected_when_its_displacement_is_not_above_one()
    {
        // c2: d² = 1.0 → sqdisp not > 1 → accept 1; P's link to c1 has sqdisp 0.25 (not > 1) and d² is not < 1 → accept
        // stays 1; P already has 1 link, its longest (0.25) is shorter than d² = 1 → c2 is passed over, and has no other parent.
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        var c1 = Add(graph, 1, 0.5, 0, 0);
        var c2 = Add(graph, 1, 0, 1.0, 0);

        var result = new NearestNeighborLinker().LinkTimepoint(graph, 1);

        Assert.Same(p, ParentOf(c1));
        Assert.Empty(c2.Incoming);
        Assert.Equal(1, result.LinksAdded);
    }

    [Fact]
    public void A_second_child_is_accepted_when_both_links_are_shorter_than_one()
    {
        // c2: d² = 0.81 < 1 and P's link to c1 has d² = 0.25 < 1 → accept = maxEdges = 2.
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        var c1 = Add(graph, 1, 0.5, 0, 0);
        var c2 = Add(graph, 1, 0, 0.9, 0);

        new NearestNeighborLinker().LinkTimepoint(graph, 1);

        Assert.Same(p, ParentOf(c1));
        Assert.Same(p, ParentOf(c2));
    }

    [Fact]
    public void A_link_made_in_the_run_with_a_large_displacement_opens_its_parent_to_a_second_child()
    {
        // c1: d² = 4 (sqdisp 4 recorded). c2: d² = 1.0 → accept 1, but P's link to c1 has sqdisp 4 > 1 → accept 2.
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        var c1 = Add(graph, 1, 2, 0, 0);
        var c2 = Add(graph, 1, 0, 1.0, 0);

        new NearestNeighborLinker().LinkTimepoint(graph, 1);

        Assert.Same(p, ParentOf(c1));
        Assert.Same(p, ParentOf(c2));
    }

    [Fact]
    public void Max_edges_one_forbids_divisions()
    {
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        var c1 = Add(graph, 1, 1.5, 0, 0);
        var c2 = Add(graph, 1, -2, 0, 0);

        new NearestNeighborLinker(new NearestNeighborLinkingOptions { MaxEdges = 1 }).LinkTimepoint(graph, 1);

        // c1 (2.25) is linked first; c2 (4) competes: P is full, its longest link 2.25 < 4 → c2 is passed over.
        Assert.Same(p, ParentOf(c1));
        Assert.Empty(c2.Incoming);
    }

    [Fact]
    public void Competition_keeps_the_shorter_links_and_the_loser_searches_again()
    {
        // Pass 1: c1 (d² 4) and c2 (2.25) take P's two places; c3 (1.44): P is full, its longest link is c1's (4 ≥ 1.44)
        // → dropped, c3 linked, c1 unlinked. Pass 2: c1 tries P: full, longest is now 2.25 < 4 → passed over; next
        // nearest is Q (d² 6.25) → linked.
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        var q = Add(graph, 0, 4.5, 0, 0);
        var c1 = Add(graph, 1, 2, 0, 0);
        var c2 = Add(graph, 1, 0, 1.5, 0);
        var c3 = Add(graph, 1, 0, 0, -1.2);

        var result = new NearestNeighborLinker().LinkTimepoint(graph, 1);

        Assert.Same(q, ParentOf(c1));
        Assert.Same(p, ParentOf(c2));
        Assert.Same(p, ParentOf(c3));
        Assert.Equal(2, p.Outgoing.Count);
        Assert.Equal(3, graph.LinkCount);
        Assert.Equal(new LinkingResult(3, 0, 0, 1), result);
    }

    [Fact]
    public void A_spot_that_lost_its_parent_stays_unlinked_with_a_single_pass()
    {
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        Add(graph, 0, 4.5, 0, 0);
        var c1 = Add(graph, 1, 2, 0, 0);
        var c2 = Add(graph, 1, 0, 1.5, 0);
        var c3 = Add(graph, 1, 0, 0, -1.2);

        new NearestNeighborLinker(new NearestNeighborLinkingOptions { Passes = 1 }).LinkTimepoint(graph, 1);

        Assert.Empty(c1.Incoming);
        Assert.Same(p, ParentOf(c2));
        Assert.Same(p, ParentOf(c3));
    }

    [Fact]
    public void A_parent_never_gets_more_children_than_max_edges()
    {
        // Five children crowd one parent: every competition replaces the longest link, so P ends with the two
        // shortest (ELEPHANT's Java code would let the dropped link be picked again and collect more children).
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        var children = new[] { 2.0, 1.8, 1.6, 1.4, 1.2 }.Select(x => Add(graph, 1, x, 0, 0)).ToArray();

        new NearestNeighborLinker().LinkTimepoint(graph, 1);

        Assert.Equal([children[3], children[4]], p.Outgoing.Select(l => l.Target).OrderBy(s => s.Id));
        Assert.All(children, c => Assert.True(c.Incoming.Count <= 1));
    }

    [Fact]
    public void Unlabeled_links_into_the_timepoint_are_replaced_and_approved_links_kept()
    {
        var graph = new LineageGraph();
        var a = Add(graph, 0, 0, 0, 0);
        var b = Add(graph, 0, 3, 0, 0);
        var x = Add(graph, 1, 0.2, 0, 0);
        var y = Add(graph, 1, 3.2, 0, 0);
        var wrong = graph.AddLink(b, x);                          // unlabeled: removed, x relinked to a
        var approved = graph.AddLink(a, y, TrackingTag.Approved); // approved: kept although b is nearer

        var result = new NearestNeighborLinker().LinkTimepoint(graph, 1);

        Assert.DoesNotContain(wrong, graph.Links);
        Assert.Same(a, ParentOf(x));
        Assert.Contains(approved, graph.Links);
        Assert.Same(a, ParentOf(y));
        Assert.Equal(new LinkingResult(1, 1, 0, 1), result);
    }

    [Fact]
    public void Approved_links_fill_a_parent_and_are_never_dropped()
    {
        // P has two approved children → approved (2) ≥ accept for any newcomer → c goes to its second choice Q.
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        var q = Add(graph, 0, 0, 3, 0);
        var a1 = Add(graph, 1, 4, 0, 0);
        var a2 = Add(graph, 1, -4, 0, 0);
        graph.AddLink(p, a1, TrackingTag.Approved);
        graph.AddLink(p, a2, TrackingTag.Approved);
        var c = Add(graph, 1, 0, 1.2, 0);

        new NearestNeighborLinker().LinkTimepoint(graph, 1);

        Assert.Same(q, ParentOf(c));
        Assert.Equal(2, p.Outgoing.Count);
        Assert.All(p.Outgoing, l => Assert.Equal(TrackingTag.Approved, l.TrackingTag));
    }

    [Fact]
    public void An_approved_link_counts_against_capacity_but_is_never_the_one_dropped()
    {
        // P has an approved child a (d² 16). c1 (2.25): accept 2, 1 link → linked. c2 (1.44): accept 2, P full; the
        // longest non-approved link is c1's (2.25 ≥ 1.44) → dropped although a's link is longer.
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        var a = Add(graph, 1, 4, 0, 0);
        var approved = graph.AddLink(p, a, TrackingTag.Approved);
        var c1 = Add(graph, 1, 0, 1.5, 0);
        var c2 = Add(graph, 1, 0, 0, 1.2);

        new NearestNeighborLinker().LinkTimepoint(graph, 1);

        Assert.Contains(approved, graph.Links);
        Assert.Same(p, ParentOf(c2));
        Assert.Empty(c1.Incoming);
        Assert.Equal(2, p.Outgoing.Count);
    }

    [Fact]
    public void Spots_tagged_fp_tn_tb_or_fb_are_neither_linked_nor_taken_as_parents()
    {
        var graph = new LineageGraph();
        var fpParent = Add(graph, 0, 0, 0, 0, DetectionTag.FalsePositive);
        var tpParent = Add(graph, 0, 2, 0, 0, DetectionTag.TruePositive);
        var fnParent = Add(graph, 0, 20, 0, 0, DetectionTag.FalseNegative);
        var child = Add(graph, 1, 0.1, 0, 0, DetectionTag.TruePositive);
        var fnChild = Add(graph, 1, 20.2, 0, 0, DetectionTag.FalseNegative);
        var others = new[] { DetectionTag.FalsePositive, DetectionTag.TrueNegative, DetectionTag.TrueBorder, DetectionTag.FalseBorder }
            .Select(tag => Add(graph, 1, 2.1, 0, 0, tag)).ToArray();

        new NearestNeighborLinker().LinkTimepoint(graph, 1);

        Assert.Same(tpParent, ParentOf(child)); // the fp spot is nearer but not eligible
        Assert.Same(fnParent, ParentOf(fnChild));
        Assert.Empty(fpParent.Outgoing);
        Assert.All(others, s => Assert.Empty(s.Incoming));
    }

    [Fact]
    public void Ineligible_neighbours_count_against_the_search_neighbours_limit()
    {
        // Three fp spots are nearer than the only eligible one: with 3 neighbours examined it is never reached.
        var graph = new LineageGraph();
        for (var i = 0; i < 3; i++)
        {
            Add(graph, 0, 0.1 * (i + 1), 0, 0, DetectionTag.FalsePositive);
        }

        var eligible = Add(graph, 0, 1, 0, 0);
        var child = Add(graph, 1, 0, 0, 0);

        new NearestNeighborLinker().LinkTimepoint(graph, 1);
        Assert.Empty(child.Incoming);

        new NearestNeighborLinker(new NearestNeighborLinkingOptions { SearchNeighbors = 4 }).LinkTimepoint(graph, 1);
        Assert.Same(eligible, ParentOf(child));
    }

    [Fact]
    public void The_threshold_is_inclusive()
    {
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        var q = Add(graph, 0, 100, 0, 0);
        var atThreshold = Add(graph, 1, 5, 0, 0);     // d² = 25 = 5²
        var beyond = Add(graph, 1, 100, 5.0001, 0);   // just over 5 from q

        new NearestNeighborLinker().LinkTimepoint(graph, 1);

        Assert.Same(p, ParentOf(atThreshold));
        Assert.Empty(beyond.Incoming);
        Assert.Empty(q.Outgoing);

        var wider = new NearestNeighborLinker(new NearestNeighborLinkingOptions { DistanceThreshold = 5.01 });
        wider.LinkTimepoint(graph, 1);
        Assert.Same(q, ParentOf(beyond));
    }

    [Fact]
    public void A_deeper_search_links_across_a_gap_without_interpolation()
    {
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        Add(graph, 1, 50, 0, 0);
        var c = Add(graph, 2, 0.5, 0, 0);

        new NearestNeighborLinker().LinkTimepoint(graph, 2);
        Assert.Empty(c.Incoming); // depth 1 searches t = 1 only

        var result = new NearestNeighborLinker(new NearestNeighborLinkingOptions { SearchDepth = 2 }).LinkTimepoint(graph, 2);
        Assert.Same(p, ParentOf(c));
        Assert.Equal(new LinkingResult(1, 0, 0, 1), result);
    }

    [Fact]
    public void Interpolation_fills_the_gap_and_the_time_range_links_the_new_spot_backwards()
    {
        // t = 2 is linked first: c finds p at t = 0 (depth 2), a spot i is created at t = 1 at c's position and
        // linked to c; then t = 1 is linked: i (unlabeled, no parent) finds p (d² 0.25).
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        Add(graph, 1, 50, 0, 0);
        var c = Add(graph, 2, 0.5, 0, 0, radius: 2.5);
        var linker = new NearestNeighborLinker(new NearestNeighborLinkingOptions { SearchDepth = 2, UseInterpolation = true, TimeRange = 2 });

        var result = linker.LinkTimeRange(graph, 2);

        var i = ParentOf(c);
        Assert.Equal(1, i.Timepoint);
        Assert.Equal((0.5, 0.0, 0.0), (i.X, i.Y, i.Z));
        Assert.Equal(c.Covariance, i.Covariance);
        Assert.Equal(DetectionTag.Unlabeled, i.DetectionTag);
        Assert.Same(p, ParentOf(i));
        Assert.Equal(new LinkingResult(2, 0, 1, 2), result);
    }

    [Fact]
    public void An_interpolated_spot_can_be_the_parent_of_another_spot_of_the_same_timepoint()
    {
        // c interpolates i at (0.5, 0, 0) at t = 1. c2 (later in the list) searches t = 1: i at d² 0.64 is the
        // nearest; accept 1 → 2 because d² < 1 and i's link to c has d² 0.25 < 1 → c2 is linked to i.
        var graph = new LineageGraph();
        Add(graph, 0, 0, 0, 0);
        Add(graph, 1, 50, 0, 0);
        var c = Add(graph, 2, 0.5, 0, 0);
        var c2 = Add(graph, 2, 0.5, 0.8, 0);
        var linker = new NearestNeighborLinker(new NearestNeighborLinkingOptions { SearchDepth = 2, UseInterpolation = true });

        var result = linker.LinkTimepoint(graph, 2);

        Assert.Same(ParentOf(c), ParentOf(c2));
        Assert.Equal(1, ParentOf(c).Timepoint);
        Assert.Equal(1, result.SpotsInterpolated);
    }

    [Fact]
    public void A_pre_existing_link_can_lose_a_competition_across_a_gap()
    {
        // Threshold 2: c finds nothing at t = 1 (x1, x2 are ≥ 4.2 away) and p at t = 0 (d² 2.25). p's two pre-existing
        // links (to x1, squared length 16, and x2, 20.25) fill it; the longest (x2, 20.25 ≥ 2.25) is dropped.
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        var x1 = Add(graph, 1, 4, 0, 0);
        var x2 = Add(graph, 1, -4.5, 0, 0);
        graph.AddLink(p, x1);
        graph.AddLink(p, x2);
        var c = Add(graph, 2, 0, 0, 1.5);

        var result = new NearestNeighborLinker(new NearestNeighborLinkingOptions { DistanceThreshold = 2, SearchDepth = 2 }).LinkTimepoint(graph, 2);

        Assert.Same(p, ParentOf(c));
        Assert.Same(p, ParentOf(x1));
        Assert.Empty(x2.Incoming);
        Assert.Equal(new LinkingResult(1, 1, 0, 1), result);
    }

    [Fact]
    public void A_crop_box_restricts_removal_and_linking_but_not_the_parents()
    {
        var graph = new LineageGraph();
        var inParent = Add(graph, 0, 0, 0, 0);
        var outParent = Add(graph, 0, 30, 0, 0);
        var edgeParent = Add(graph, 0, 9.5, 0, 0);            // outside the box
        var inChild = Add(graph, 1, 0.5, 0, 0);
        var outChild = Add(graph, 1, 30.5, 0, 0);
        var edgeChild = Add(graph, 1, 8.5, 0, 0);             // inside: its parent outside may be taken
        var oldOutside = graph.AddLink(inParent, outChild);   // unlabeled, ends outside: kept
        var box = new PhysicalBox(new Point3(-5, -5, -5), new Point3(14, 10, 10)); // x in [-5, 9)

        var result = new NearestNeighborLinker().LinkTimepoint(graph, 1, box);

        Assert.Same(inParent, ParentOf(inChild));
        Assert.Same(edgeParent, ParentOf(edgeChild));
        Assert.Contains(oldOutside, graph.Links);
        Assert.Empty(outParent.Outgoing);
        Assert.Equal(new LinkingResult(2, 0, 0, 1), result);
    }

    [Fact]
    public void The_time_range_runs_backwards_from_the_current_timepoint()
    {
        var graph = new LineageGraph();
        for (var t = 0; t <= 6; t++)
        {
            Add(graph, t, 0.1 * t, 0, 0);
        }

        var reports = new List<LinkingProgress>();
        var linker = new NearestNeighborLinker(new NearestNeighborLinkingOptions { TimeRange = 3 });
        var result = linker.LinkTimeRange(graph, 5, progress: new SynchronousProgress<LinkingProgress>(reports.Add));

        Assert.Equal([5, 4, 3], reports.Select(r => r.Timepoint));
        Assert.Equal([1, 2, 3], reports.Select(r => r.TimepointsDone));
        Assert.All(reports, r => Assert.Equal(3, r.TimepointCount));
        Assert.Equal([3, 4, 5], graph.Links.Select(l => l.Target.Timepoint).Order());
        Assert.Equal(new LinkingResult(3, 0, 0, 3), result);

        var all = new NearestNeighborLinker().LinkTimeRange(graph, 2); // max(1, 2 − 10 + 1) = 1 → t = 2, 1
        Assert.Equal(2, all.TimepointsLinked);
        Assert.Equal(5, graph.LinkCount);
    }

    [Fact]
    public void Link_all_links_every_timepoint_and_timepoint_zero_is_a_no_op()
    {
        var graph = new LineageGraph();
        for (var t = 0; t < 4; t++)
        {
            Add(graph, t, 0, 0, 0.3 * t);
            Add(graph, t, 20, 0, 0.3 * t);
        }

        Assert.Equal(default, new NearestNeighborLinker().LinkTimepoint(graph, 0));
        var result = new NearestNeighborLinker().LinkAll(graph);
        Assert.Equal(6, result.LinksAdded);
        Assert.Equal(3, result.TimepointsLinked);
        Assert.All(graph.Spots.Where(s => s.Timepoint > 0), s => Assert.Single(s.Incoming));
    }

    [Fact]
    public void A_motion_estimator_moves_the_search_and_supplies_the_displacement()
    {
        // Without the estimator c links to A (d² 0.25). The estimator says c came from (3.2, 0, 0): B at d² 0.04 wins.
        var graph = new LineageGraph();
        var a = Add(graph, 0, 10.5, 0, 0);
        var b = Add(graph, 0, 3, 0, 0);
        var c = Add(graph, 1, 10, 0, 0);
        var estimator = new FakeEstimator(spot => new MotionEstimate(spot.X - 6.8, spot.Y, spot.Z, 6.8 * 6.8));

        new NearestNeighborLinker(motionEstimator: estimator).LinkTimepoint(graph, 1);

        Assert.Same(b, ParentOf(c));
        Assert.Empty(a.Outgoing);
        Assert.Equal([1], estimator.Timepoints);
        Assert.Equal([c], estimator.Requests.Single());
    }

    [Fact]
    public void The_estimated_displacement_not_the_distance_decides_whether_a_parent_may_divide()
    {
        // c1 links to P (d² 0.04). c2 is 1.5 from P: without an estimator sqdisp = d² = 2.25 > 1 → P divides. With an
        // estimator reporting sqdisp 0.5 (positions unchanged), accept stays 1 and P's link to c1 (0.04) is shorter → no division.
        Spot p = null!, c1 = null!, c2 = null!;
        LineageGraph Scene()
        {
            var graph = new LineageGraph();
            p = Add(graph, 0, 0, 0, 0);
            c1 = Add(graph, 1, 0.2, 0, 0);
            c2 = Add(graph, 1, 0, 1.5, 0);
            return graph;
        }

        var withoutGraph = Scene();
        new NearestNeighborLinker().LinkTimepoint(withoutGraph, 1);
        Assert.Same(p, ParentOf(c2));

        var withGraph = Scene();
        var estimator = new FakeEstimator(spot => new MotionEstimate(spot.X, spot.Y, spot.Z, 0.5));
        new NearestNeighborLinker(motionEstimator: estimator).LinkTimepoint(withGraph, 1);
        Assert.Same(p, ParentOf(c1));
        Assert.Empty(c2.Incoming);
    }

    [Fact]
    public void The_estimator_is_asked_only_about_spots_to_link()
    {
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        var kept = Add(graph, 1, 0, 0, 0);
        graph.AddLink(p, kept, TrackingTag.Approved);
        Add(graph, 1, 5, 0, 0, DetectionTag.FalsePositive);
        var free = Add(graph, 1, 3, 0, 0);
        var estimator = new FakeEstimator(spot => new MotionEstimate(spot.X, spot.Y, spot.Z, 0));

        new NearestNeighborLinker(motionEstimator: estimator).LinkTimepoint(graph, 1);

        Assert.Equal([free], estimator.Requests.Single());
    }

    [Fact]
    public void A_wrong_number_of_estimates_is_an_error()
    {
        var graph = new LineageGraph();
        Add(graph, 0, 0, 0, 0);
        Add(graph, 1, 0, 0, 0);
        var estimator = new FakeEstimator(_ => default, dropOne: true);

        Assert.Throws<InvalidOperationException>(() => new NearestNeighborLinker(motionEstimator: estimator).LinkTimepoint(graph, 1));
    }

    [Fact]
    public void Cancellation_stops_before_any_change()
    {
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        var c = Add(graph, 1, 0, 0, 0);
        graph.AddLink(p, c);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => new NearestNeighborLinker().LinkTimeRange(graph, 1, cancellationToken: cancelled.Token));
        Assert.Equal(1, graph.LinkCount);
    }

    [Fact]
    public void Cancelling_the_motion_estimate_leaves_the_graph_untouched()
    {
        var graph = new LineageGraph();
        var p = Add(graph, 0, 0, 0, 0);
        var q = Add(graph, 0, 1, 0, 0);
        var c = Add(graph, 1, 0, 0, 0);
        var old = graph.AddLink(q, c);
        using var cancellation = new CancellationTokenSource();
        var estimator = new FakeEstimator(spot =>
        {
            cancellation.Cancel();
            cancellation.Token.ThrowIfCancellationRequested();
            return default;
        });

        Assert.ThrowsAny<OperationCanceledException>(() => new NearestNeighborLinker(motionEstimator: estimator).LinkTimepoint(graph, 1, cancellationToken: cancellation.Token));

        Assert.Equal([c], estimator.Requests.Single()); // c qualifies: its only incoming link is unlabeled
        Assert.Equal([old], graph.Links);
        Assert.Empty(p.Outgoing);
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NearestNeighborLinker(new NearestNeighborLinkingOptions { DistanceThreshold = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NearestNeighborLinker(new NearestNeighborLinkingOptions { MaxEdges = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NearestNeighborLinker(new NearestNeighborLinkingOptions { SearchDepth = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NearestNeighborLinker(new NearestNeighborLinkingOptions { SearchNeighbors = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NearestNeighborLinker(new NearestNeighborLinkingOptions { Passes = 0 }));
    }

    [Fact]
    public void The_defaults_are_elephants()
    {
        var options = new NearestNeighborLinkingOptions();
        Assert.Equal(5.0, options.DistanceThreshold);
        Assert.Equal(2, options.MaxEdges);
        Assert.Equal(1, options.SearchDepth);
        Assert.Equal(3, options.SearchNeighbors);
        Assert.False(options.UseInterpolation);
        Assert.Equal(10, options.TimeRange);
        Assert.Equal(5, options.Passes);
    }

    [Fact]
    public void A_large_random_frame_gets_a_proper_lineage()
    {
        var random = new Random(3);
        var graph = new LineageGraph();
        var n = 20_000;
        var size = 100 * Math.Cbrt(n);
        var previous = new List<Spot>();
        for (var i = 0; i < n; i++)
        {
            previous.Add(Add(graph, 0, random.NextDouble() * size, random.NextDouble() * size, random.NextDouble() * size));
        }

        var truth = new Dictionary<Spot, Spot>();
        foreach (var parent in previous)
        {
            truth[Add(graph, 1, parent.X + 0.5 * (random.NextDouble() - 0.5), parent.Y, parent.Z)] = parent;
        }

        var result = new NearestNeighborLinker().LinkTimepoint(graph, 1);

        Assert.Equal(n, result.LinksAdded);
        Assert.All(truth, pair => Assert.Same(pair.Value, ParentOf(pair.Key)));
    }

    private static Spot Add(LineageGraph graph, int t, double x, double y, double z, DetectionTag tag = DetectionTag.Unlabeled, double radius = 1.0)
    {
        var spot = graph.AddSpot(t, x, y, z, radius);
        spot.DetectionTag = tag;
        return spot;
    }

    private static Spot ParentOf(Spot spot) => Assert.Single(spot.Incoming).Source;

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private sealed class FakeEstimator(Func<Spot, MotionEstimate> estimate, bool dropOne = false) : ISpotMotionEstimator
    {
        public List<int> Timepoints { get; } = [];

        public List<Spot[]> Requests { get; } = [];

        public IReadOnlyList<MotionEstimate> EstimatePrevious(int timepoint, IReadOnlyList<Spot> spots, CancellationToken cancellationToken = default)
        {
            Timepoints.Add(timepoint);
            Requests.Add([.. spots]);
            var estimates = spots.Select(estimate).ToList();
            if (dropOne)
            {
                estimates.RemoveAt(0);
            }

            return estimates;
        }
    }
}
