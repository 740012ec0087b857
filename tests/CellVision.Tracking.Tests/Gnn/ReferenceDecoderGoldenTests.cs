using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>
/// The reference decoder against a NumPy transcription of the spec's pseudo-code (Golden/Gnn/reference_decoder.py,
/// run with Debian's python3): the same track table in the reference's own labels, record for record, and the same
/// label for every node.
/// </summary>
public class ReferenceDecoderGoldenTests
{
    [Fact]
    public void A_second_active_successor_starts_a_track_whose_parent_is_the_nearest_ended_track()
    {
        var scene = new GnnScene();
        int a0 = scene.Cell(0, 10, 10), b0 = scene.Cell(0, 40, 40);
        int a1 = scene.Cell(1, 11, 10), c1 = scene.Cell(1, 15, 12), b1 = scene.Cell(1, 41, 40);
        int a2 = scene.Cell(2, 12, 11), b2 = scene.Cell(2, 42, 41);
        scene.Edge(a0, a1, 0.9).Edge(a0, c1, 0.8).Edge(b0, b1, 0.95).Edge(a1, a2, 0.9).Edge(b1, b2, 0.7).Edge(c1, a2, 0.3);

        var raw = AssertSameAsPython(scene.Scores());

        // c1 is a0's second active target: it starts a track; no track ended in frame 0, so its parent is 0.
        Assert.Contains(new RawTrack(c1, 1, 1, 0), raw.Tracks);
        Assert.Contains(new RawTrack(a2, 0, 2, 0), raw.Tracks);
    }

    [Fact]
    public void A_merge_is_carried_in_both_columns_and_fused_into_one_record()
    {
        var scene = new GnnScene();
        int a0 = scene.Cell(0, 10, 10), b0 = scene.Cell(0, 14, 14);
        int m1 = scene.Cell(1, 12, 12);
        int m2 = scene.Cell(2, 12, 13);
        scene.Edge(a0, m1, 0.9).Edge(b0, m1, 0.8).Edge(m1, m2, 0.9);

        var raw = AssertSameAsPython(scene.Scores());

        Assert.Equal([new RawTrack(m2, 0, 2, 0)], raw.Tracks);
        Assert.All(raw.NodeLabels, label => Assert.Equal(m2, label));
    }

    [Fact]
    public void Daughters_of_a_mother_whose_edges_score_low_both_take_her_as_parent()
    {
        var scene = new GnnScene();
        int other0 = scene.Cell(0, 80, 80), mother0 = scene.Cell(0, 20, 20);
        int other1 = scene.Cell(1, 81, 80), mother1 = scene.Cell(1, 20, 21);
        int other2 = scene.Cell(2, 82, 80), d1 = scene.Cell(2, 14, 15), d2 = scene.Cell(2, 26, 27);
        scene.Edge(other0, other1, 0.9).Edge(mother0, mother1, 0.9).Edge(other1, other2, 0.9)
            .Edge(mother1, d1, 0.2).Edge(mother1, d2, 0.1);

        var raw = AssertSameAsPython(scene.Scores());

        Assert.Contains(new RawTrack(mother1, 0, 1, 0), raw.Tracks);
        Assert.Contains(new RawTrack(d1, 2, 2, mother1), raw.Tracks);
        Assert.Contains(new RawTrack(d2, 2, 2, mother1), raw.Tracks);
    }

    [Fact]
    public void A_cell_entering_far_away_gets_the_nearest_ended_track_as_parent_anyway()
    {
        var raw = AssertSameAsPython(EnteringCellScene(out var ended, out _, out var enteringLast).Scores());

        Assert.Contains(raw.Tracks, t => t.Label == enteringLast && t.Parent == ended);
    }

    [Fact]
    public void Node_zero_ending_in_frame_zero_is_renamed_max_plus_one_and_its_children_keep_parent_zero()
    {
        var scene = new GnnScene();
        int z0 = scene.Cell(0, 10, 10), b0 = scene.Cell(0, 50, 50);
        int c1 = scene.Cell(1, 11, 11), b1 = scene.Cell(1, 50, 51);
        scene.Edge(z0, c1, 0.4).Edge(b0, b1, 0.9);

        var raw = AssertSameAsPython(scene.Scores());

        Assert.Contains(new RawTrack(b1 + 1, 0, 0, 0), raw.Tracks);
        Assert.Contains(new RawTrack(c1, 1, 1, 0), raw.Tracks); // its parent was node 0, which reads as none
        Assert.Equal(b1 + 1, raw.NodeLabels[z0]);
    }

    [Fact]
    public void Columns_are_reused_and_equidistant_ended_tracks_go_to_the_lowest_column()
    {
        var scene = new GnnScene();
        int a0 = scene.Cell(0, 10, 10), b0 = scene.Cell(0, 30, 10), c0 = scene.Cell(0, 60, 60);
        int a1 = scene.Cell(1, 10, 10), b1 = scene.Cell(1, 30, 10), c1 = scene.Cell(1, 60, 61);
        int n2 = scene.Cell(2, 20, 10), c2 = scene.Cell(2, 60, 62);
        int n3 = scene.Cell(3, 20, 11), c3 = scene.Cell(3, 60, 63), late3 = scene.Cell(3, 100, 100);
        scene.Edge(a0, a1, 0.9).Edge(b0, b1, 0.9).Edge(c0, c1, 0.9).Edge(c1, c2, 0.9).Edge(c2, c3, 0.9)
            .Edge(a1, n2, 0.2).Edge(b1, n2, 0.2).Edge(n2, n3, 0.9);

        var raw = AssertSameAsPython(scene.Scores());

        Assert.Contains(raw.Tracks, t => t.Label == n3 && t.Parent == a1);
        Assert.Contains(raw.Tracks, t => t.Label == late3 && t.Begin == 3 && t.Parent == 0);
    }

    [Theory]
    [InlineData(1, false, 0.05, false)]
    [InlineData(2, true, 0.1, false)]
    [InlineData(3, false, 0.15, true)]
    [InlineData(4, true, 0.3, true)]
    public void Random_movies_decode_as_the_transcription_does(int seed, bool divisionsAsEdges, double noise, bool threeD)
    {
        var scores = RandomScenes.Movie(seed, frames: 25, cells: 12, divisionsAsEdges, noise, threeD);

        var raw = AssertSameAsPython(scores);

        Assert.True(raw.Tracks.Count > 12);
    }

    [Fact]
    public void Frames_must_be_numbered_from_zero_without_gaps()
    {
        var scene = new GnnScene();
        scene.Cell(0, 1, 1);
        scene.Cell(2, 1, 1);

        Assert.Throws<ArgumentException>(() => ReferenceDecoder.Decode(scene.Scores()));
    }

    /// <summary>Two cells leave at frame 1; a cell enters at frame 2 on the far side: the reference still makes it a daughter.</summary>
    internal static GnnScene EnteringCellScene(out int ended, out int entering, out int enteringLast)
    {
        var scene = new GnnScene();
        int a0 = scene.Cell(0, 10, 10), b0 = scene.Cell(0, 30, 30);
        int a1 = scene.Cell(1, 11, 10), b1 = scene.Cell(1, 31, 30);
        int a2 = scene.Cell(2, 12, 10);
        entering = scene.Cell(2, 390, 390);
        int a3 = scene.Cell(3, 13, 10), e3 = scene.Cell(3, 391, 390);
        scene.Edge(a0, a1, 0.95).Edge(b0, b1, 0.9).Edge(a1, a2, 0.9).Edge(b1, a2, 0.2).Edge(a2, a3, 0.9).Edge(entering, e3, 0.95);
        ended = b1;
        enteringLast = e3; // the reference labels a track by its last node
        return scene;
    }

    private static RawTracks AssertSameAsPython(EdgeScores scores)
    {
        var raw = ReferenceDecoder.Decode(scores);
        var (tracks, nodeLabels) = GnnScene.Python(scores);

        Assert.Equal(tracks.Select(t => new RawTrack(t[0], t[1], t[2], t[3])), raw.Tracks);
        Assert.Equal(nodeLabels, raw.NodeLabels);
        return raw;
    }
}
