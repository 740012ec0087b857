using CellVision.Core.Annotations;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Lineage;

public class LineageToolsTests
{
    /// <summary>
    /// Track R: R(0) → A(1) → B(2) ⇉ C1(3) → D1(4), C2(3) → D2(4) (B divides).
    /// Track S: S(1) → S2(2) → S3(3). Track L: a lone spot at 3.
    /// </summary>
    private sealed class Scene
    {
        public Scene()
        {
            R = Add(0, 0);
            A = Add(1, 0);
            B = Add(2, 0);
            C1 = Add(3, -1);
            C2 = Add(3, 1);
            D1 = Add(4, -1);
            D2 = Add(4, 1);
            S = Add(1, 50);
            S2 = Add(2, 50);
            S3 = Add(3, 50);
            L = Add(3, 100);
            Chain(R, A, B);
            Chain(B, C1, D1);
            Chain(B, C2, D2);
            Chain(S, S2, S3);
        }

        public LineageGraph Graph { get; } = new();

        public Spot R { get; }

        public Spot A { get; }

        public Spot B { get; }

        public Spot C1 { get; }

        public Spot C2 { get; }

        public Spot D1 { get; }

        public Spot D2 { get; }

        public Spot S { get; }

        public Spot S2 { get; }

        public Spot S3 { get; }

        public Spot L { get; }

        private Spot Add(int t, double x) => Graph.AddSpot(t, x, 0, 0, 1.0);

        private void Chain(params Spot[] spots)
        {
            for (var i = 1; i < spots.Length; i++)
            {
                Graph.AddLink(spots[i - 1], spots[i]);
            }
        }
    }

    [Fact]
    public void Dividing_spots_and_their_daughters_are_tagged()
    {
        var s = new Scene();

        Assert.Equal(1, LineageTools.TagDivisions(s.Graph));

        Assert.Equal(TagSetNames.Dividing, s.B.Tags[TagSetNames.Division]);
        Assert.Equal(TagSetNames.Divided, s.C1.Tags[TagSetNames.Division]);
        Assert.Equal(TagSetNames.Divided, s.C2.Tags[TagSetNames.Division]);
        foreach (var spot in new[] { s.R, s.A, s.D1, s.D2, s.S, s.S2, s.S3, s.L })
        {
            Assert.Equal(TagSetNames.NonDividing, spot.Tags[TagSetNames.Division]);
        }
    }

    [Fact]
    public void A_daughter_that_divides_again_is_tagged_dividing()
    {
        var s = new Scene();
        s.Graph.AddLink(s.C1, s.Graph.AddSpot(4, -3, 0, 0, 1.0));

        Assert.Equal(2, LineageTools.TagDivisions(s.Graph));
        Assert.Equal(TagSetNames.Dividing, s.C1.Tags[TagSetNames.Division]);
        Assert.Equal(TagSetNames.Divided, s.D1.Tags[TagSetNames.Division]);
    }

    [Fact]
    public void Divisions_are_counted_per_timepoint_and_written_as_csv()
    {
        var s = new Scene();

        var counts = DivisionCounts.PerTimepoint(s.Graph);
        Assert.Equal([0, 0, 1, 0, 0], counts);
        Assert.Equal([0, 0, 0, 0, 0], DivisionCounts.PerTimepoint(s.Graph, approvedOnly: true));
        s.B.TrackingTag = TrackingTag.Approved;
        Assert.Equal([0, 0, 1, 0, 0], DivisionCounts.PerTimepoint(s.Graph, approvedOnly: true));
        Assert.Empty(DivisionCounts.PerTimepoint(new LineageGraph()));

        using var writer = new StringWriter();
        DivisionCounts.WriteCsv(counts, writer);
        Assert.Equal("Timepoint,Divisions\n0,0\n1,0\n2,1\n3,0\n4,0\n", writer.ToString());
    }

    [Fact]
    public void Divisions_are_counted_per_track_with_minus_one_where_a_track_has_no_spot()
    {
        var s = new Scene();
        s.R.Label = "AB4.1";
        s.S.Label = "with,comma";

        var table = DivisionCounts.PerTrack(s.Graph);

        Assert.Equal([s.R, s.S, s.L], table.Roots);
        Assert.Equal(["AB4.1", "with,comma", s.L.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], table.Labels);
        Assert.Equal(5, table.TimepointCount);
        Assert.Equal(1, table[2, 0]);
        Assert.Equal(-1, table[0, 1]);
        using var writer = new StringWriter();
        table.WriteCsv(writer);
        Assert.Equal(
            $"Timepoint,AB4.1,\"with,comma\",{s.L.Id}\n0,0,-1,-1\n1,0,0,-1\n2,1,0,-1\n3,0,0,0\n4,0,-1,-1\n",
            writer.ToString());

        s.S.Tags[TagSetNames.Status] = TagSetNames.Completed;
        var completed = DivisionCounts.PerTrack(s.Graph, LineageTools.IsCompleted);
        Assert.Equal([s.S], completed.Roots);
    }

    [Fact]
    public void Progenitors_are_numbered_per_root_track()
    {
        var s = new Scene();

        Assert.Equal(3, LineageTools.TagProgenitors(s.Graph));

        Assert.All(new[] { s.R, s.A, s.B, s.C1, s.C2, s.D1, s.D2 }, spot => Assert.Equal("1", spot.Tags[TagSetNames.Progenitor]));
        Assert.All(new[] { s.S, s.S2, s.S3 }, spot => Assert.Equal("2", spot.Tags[TagSetNames.Progenitor]));
        Assert.Equal("3", s.L.Tags[TagSetNames.Progenitor]);
        Assert.All(s.B.Outgoing, link => Assert.Equal("1", link.Tags[TagSetNames.Progenitor]));
        Assert.All(s.S.Outgoing, link => Assert.Equal("2", link.Tags[TagSetNames.Progenitor]));

        Assert.Equal(2, LineageTools.TagProgenitors(s.Graph, maxCount: 2));
        Assert.Equal(TagSetNames.Unlabeled, s.L.Tags[TagSetNames.Progenitor]);

        s.S.Tags[TagSetNames.Status] = TagSetNames.Completed;
        Assert.Equal(1, LineageTools.TagProgenitors(s.Graph, LineageTools.IsCompleted));
        Assert.Equal("1", s.S3.Tags[TagSetNames.Progenitor]);
        Assert.Equal(TagSetNames.Unlabeled, s.R.Tags[TagSetNames.Progenitor]);
        Assert.All(s.R.Outgoing, link => Assert.Equal(TagSetNames.Unlabeled, link.Tags[TagSetNames.Progenitor]));
    }

    [Fact]
    public void Tracks_with_a_division_are_proliferators_and_the_others_are_not()
    {
        var s = new Scene();

        Assert.Equal(new ProliferatorCounts(1, 2, 0), LineageTools.TagProliferators(s.Graph));

        Assert.All(new[] { s.R, s.A, s.B, s.C1, s.D2 }, spot => Assert.Equal(TagSetNames.Proliferator, spot.Tags[TagSetNames.ProliferatorSet]));
        Assert.All(new[] { s.S, s.S3, s.L }, spot => Assert.Equal(TagSetNames.NonProliferator, spot.Tags[TagSetNames.ProliferatorSet]));
        Assert.Equal(TagSetNames.Proliferator, s.R.Outgoing[0].Tags[TagSetNames.ProliferatorSet]);
        Assert.Equal(TagSetNames.NonProliferator, s.S.Outgoing[0].Tags[TagSetNames.ProliferatorSet]);
    }

    [Fact]
    public void Non_dividing_tracks_that_miss_the_window_are_invisible()
    {
        var s = new Scene();

        // Window 1..3: S covers it (1 → 3); L starts at 3 > 1.
        Assert.Equal(new ProliferatorCounts(1, 1, 1), LineageTools.TagProliferators(s.Graph, (1, 3)));
        Assert.Equal(TagSetNames.NonProliferator, s.S2.Tags[TagSetNames.ProliferatorSet]);
        Assert.Equal(TagSetNames.Invisible, s.L.Tags[TagSetNames.ProliferatorSet]);

        // Window 0..4: S starts too late and ends too early.
        Assert.Equal(new ProliferatorCounts(1, 0, 2), LineageTools.TagProliferators(s.Graph, (0, 4)));
        Assert.Equal(TagSetNames.Invisible, s.S.Tags[TagSetNames.ProliferatorSet]);
    }

    [Fact]
    public void Short_tracks_are_removed_by_timepoint_span()
    {
        var s = new Scene();

        // Spans: R track 4, S track 2, L 0. Minimum 3 → S's three spots and L go.
        Assert.Equal(4, LineageTools.RemoveShortTracks(s.Graph, 3));

        Assert.Equal(7, s.Graph.SpotCount);
        Assert.False(s.Graph.Contains(s.S2));
        Assert.False(s.Graph.Contains(s.L));
        Assert.Equal(6, s.Graph.LinkCount);
    }

    [Fact]
    public void Approved_tracks_and_annotated_spots_survive_short_track_removal()
    {
        var s = new Scene();
        s.S3.TrackingTag = TrackingTag.Approved;      // protects the whole S track
        s.L.DetectionTag = DetectionTag.TruePositive; // protects this spot only

        Assert.Equal(0, LineageTools.RemoveShortTracks(s.Graph, 3));
        Assert.Equal(11, s.Graph.SpotCount);

        Assert.Equal(4, LineageTools.RemoveShortTracks(s.Graph, 3, keepAnnotated: false));
        Assert.Equal(7, s.Graph.SpotCount);
    }

    [Fact]
    public void Short_tracks_can_be_measured_in_spots()
    {
        var s = new Scene();

        // Spot counts: R track 7, S track 3, L 1. Fewer than 3 spots → only L goes.
        Assert.Equal(1, LineageTools.RemoveShortTracks(s.Graph, 3, TrackLengthMeasure.Spots));
        Assert.False(s.Graph.Contains(s.L));
        Assert.True(s.Graph.Contains(s.S));
    }

    [Fact]
    public void Spot_tags_are_mapped_between_tag_sets()
    {
        var s = new Scene();
        LineageTools.TagDivisions(s.Graph);
        s.A.DetectionTag = DetectionTag.TruePositive;
        s.B.DetectionTag = DetectionTag.TruePositive;

        Assert.Equal(2, LineageTools.MapSpotTags(s.Graph, TagSetNames.Division, TagSetNames.Divided, "Review", "daughter"));
        Assert.Equal("daughter", s.C1.Tags["Review"]);
        Assert.False(s.B.Tags.ContainsKey("Review"));

        Assert.Equal(2, LineageTools.MapSpotTags(s.Graph, TagSetNames.Detection, "tp", TagSetNames.Detection, "fn"));
        Assert.Equal(DetectionTag.FalseNegative, s.A.DetectionTag);

        // No tag in "Review" (null) → "none"; then clear "daughter" (null target).
        Assert.Equal(9, LineageTools.MapSpotTags(s.Graph, "Review", null, "Review", "none"));
        Assert.Equal(2, LineageTools.MapSpotTags(s.Graph, "Review", "daughter", "Review", null));
        Assert.False(s.C2.Tags.ContainsKey("Review"));

        Assert.Throws<ArgumentException>(() => LineageTools.MapSpotTags(s.Graph, "Review", "none", TagSetNames.Detection, "maybe"));
    }

    [Fact]
    public void Link_tags_are_mapped_between_tag_sets()
    {
        var s = new Scene();
        s.B.Outgoing[0].TrackingTag = TrackingTag.Approved;

        Assert.Equal(1, LineageTools.MapLinkTags(s.Graph, TagSetNames.Tracking, TagSetNames.Approved, "Checked", "yes"));
        Assert.Equal("yes", s.B.Outgoing[0].Tags["Checked"]);
        Assert.Equal(1, LineageTools.MapLinkTags(s.Graph, "Checked", "yes", TagSetNames.Tracking, TagSetNames.Unlabeled));
        Assert.All(s.Graph.Links, l => Assert.Equal(TrackingTag.Unlabeled, l.TrackingTag));
    }

    [Fact]
    public void Spots_and_links_are_removed_by_tag()
    {
        var s = new Scene();
        LineageTools.TagDivisions(s.Graph);
        s.S.Outgoing[0].TrackingTag = TrackingTag.Approved;

        Assert.Equal(1, LineageTools.RemoveLinksByTag(s.Graph, TagSetNames.Tracking, TagSetNames.Approved));
        Assert.Empty(s.S.Outgoing);
        Assert.Equal(7, s.Graph.LinkCount);

        Assert.Equal(2, LineageTools.RemoveSpotsByTag(s.Graph, TagSetNames.Division, TagSetNames.Divided));
        Assert.False(s.Graph.Contains(s.C1));
        Assert.Empty(s.B.Outgoing);
        Assert.Empty(s.D1.Incoming);
        Assert.Equal(9, s.Graph.SpotCount);

        s.L.DetectionTag = DetectionTag.FalsePositive;
        Assert.Equal(1, LineageTools.RemoveSpotsByTag(s.Graph, TagSetNames.Detection, "fp"));
    }

    [Fact]
    public void The_graph_cannot_hold_the_self_links_elephant_removes()
    {
        // ELEPHANT's "remove self links" removes links from a spot to itself; this graph refuses them, so there is no such action.
        var graph = new LineageGraph();
        var spot = graph.AddSpot(0, 0, 0, 0, 1.0);
        Assert.Throws<ArgumentException>(() => graph.AddLink(spot, spot));
    }

    [Fact]
    public void Built_in_tag_sets_read_and_write_like_named_ones()
    {
        var graph = new LineageGraph();
        var a = graph.AddSpot(0, 0, 0, 0, 1.0);
        var b = graph.AddSpot(1, 0, 0, 0, 1.0);
        var link = graph.AddLink(a, b);

        Assert.Equal("unlabeled", LineageTags.Get(a, TagSetNames.Detection));
        LineageTags.Set(a, TagSetNames.Detection, "tb");
        Assert.Equal(DetectionTag.TrueBorder, a.DetectionTag);
        LineageTags.Set(a, TagSetNames.Tracking, "Approved");
        Assert.Equal(TrackingTag.Approved, a.TrackingTag);
        Assert.Null(LineageTags.Get(a, "Anything"));
        Assert.False(a.HasTags);
        Assert.Null(LineageTags.Get(link, TagSetNames.Detection));
        Assert.Throws<ArgumentException>(() => LineageTags.Set(link, TagSetNames.Detection, "tp"));
        LineageTags.Set(link, TagSetNames.Tracking, null);
        Assert.Equal("unlabeled", LineageTags.Get(link, TagSetNames.Tracking));
    }
}
