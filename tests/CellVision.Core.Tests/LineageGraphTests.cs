using CellVision.Core.Annotations;

namespace CellVision.Core.Tests;

public class LineageGraphTests
{
    [Fact]
    public void Spots_are_grouped_by_timepoint_and_links_are_kept_on_both_ends()
    {
        var graph = new LineageGraph();
        var a = graph.AddSpot(0, 1, 2, 3, 2.0);
        var b = graph.AddSpot(1, 1, 2, 4, 2.0);
        var c = graph.AddSpot(1, 5, 2, 4, 2.0);
        var ab = graph.AddLink(a, b);
        var ac = graph.AddLink(a, c, TrackingTag.Approved);

        Assert.Equal([0, 1], graph.Timepoints);
        Assert.Equal([b, c], graph.SpotsAt(1));
        Assert.Empty(graph.SpotsAt(7));
        Assert.Equal([ab, ac], a.Outgoing);
        Assert.Equal([ab], b.Incoming);
        Assert.Equal(TrackingTag.Approved, ac.TrackingTag);
        Assert.Same(ab, graph.FindLink(a, b));
        Assert.Null(graph.FindLink(b, c));
        Assert.Equal(1.0, ab.SquaredLength);
    }

    [Fact]
    public void Removing_a_spot_removes_its_links()
    {
        var graph = new LineageGraph();
        var a = graph.AddSpot(0, 0, 0, 0, 1.0);
        var b = graph.AddSpot(1, 0, 0, 0, 1.0);
        var c = graph.AddSpot(2, 0, 0, 0, 1.0);
        graph.AddLink(a, b);
        graph.AddLink(b, c);

        Assert.True(graph.RemoveSpot(b));
        Assert.False(graph.RemoveSpot(b));
        Assert.Equal(2, graph.SpotCount);
        Assert.Equal(0, graph.LinkCount);
        Assert.Empty(a.Outgoing);
        Assert.Empty(c.Incoming);
        Assert.Equal([0, 2], graph.Timepoints);
        Assert.Null(graph.FindSpot(b.Id));
    }

    [Fact]
    public void Bad_links_and_spots_are_refused()
    {
        var graph = new LineageGraph();
        var other = new LineageGraph();
        var a = graph.AddSpot(1, 0, 0, 0, 1.0);
        var b = graph.AddSpot(1, 1, 0, 0, 1.0);
        var c = graph.AddSpot(2, 1, 0, 0, 1.0);
        var foreign = other.AddSpot(3, 0, 0, 0, 1.0);
        graph.AddLink(a, c);

        Assert.Throws<ArgumentException>(() => graph.AddLink(a, b));
        Assert.Throws<ArgumentException>(() => graph.AddLink(c, a));
        Assert.Throws<ArgumentException>(() => graph.AddLink(a, c));
        Assert.Throws<ArgumentException>(() => graph.AddLink(a, foreign));
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.AddSpot(-1, 0, 0, 0, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.AddSpot(0, double.NaN, 0, 0, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.AddSpot(0, 0, 0, 0, -1.0));
        Assert.Equal(3, graph.SpotCount);
        Assert.Equal(1, graph.LinkCount);
    }

    [Fact]
    public void Tracklets_split_at_divisions_and_point_to_their_parent()
    {
        // a0 → a1 → a2 divides into b3 → b4 and c3; d1 is alone.
        var graph = new LineageGraph();
        var a0 = graph.AddSpot(0, 0, 0, 0, 1.0);
        var a1 = graph.AddSpot(1, 0, 0, 0, 1.0);
        var d1 = graph.AddSpot(1, 9, 9, 9, 1.0);
        var a2 = graph.AddSpot(2, 0, 0, 0, 1.0);
        var b3 = graph.AddSpot(3, 1, 0, 0, 1.0);
        var c3 = graph.AddSpot(3, -1, 0, 0, 1.0);
        var b4 = graph.AddSpot(4, 1, 0, 0, 1.0);
        graph.AddLink(a0, a1);
        graph.AddLink(a1, a2);
        graph.AddLink(a2, b3);
        graph.AddLink(a2, c3);
        graph.AddLink(b3, b4);

        var tracklets = graph.Tracklets();

        Assert.Equal(4, tracklets.Count);
        Assert.Equal([a0, a1, a2], tracklets[0].Spots);
        Assert.Equal((0, 2), (tracklets[0].Begin, tracklets[0].End));
        Assert.Null(tracklets[0].Parent);
        Assert.Equal([d1], tracklets[1].Spots);
        Assert.Equal([b3, b4], tracklets[2].Spots);
        Assert.Same(tracklets[0], tracklets[2].Parent);
        Assert.Equal([c3], tracklets[3].Spots);
        Assert.Same(tracklets[0], tracklets[3].Parent);
        Assert.Equal([1, 2, 3, 4], tracklets.Select(t => t.Label));
    }

    [Fact]
    public void Covariance_converts_to_and_from_row_major_and_gives_the_equivalent_radius()
    {
        var covariance = Covariance3.FromRowMajor([4, 1, 0, 1, 9, 0, 0, 0, 16]);
        Assert.Equal(new Covariance3(4, 1, 0, 9, 0, 16), covariance);
        Assert.Equal([4.0, 1, 0, 1, 9, 0, 0, 0, 16], covariance.ToRowMajor());
        Assert.Equal(3.0, Covariance3.Sphere(3).EquivalentRadius, 12);
        Assert.Throws<ArgumentException>(() => Covariance3.FromRowMajor([1, 2, 3]));
    }
}
