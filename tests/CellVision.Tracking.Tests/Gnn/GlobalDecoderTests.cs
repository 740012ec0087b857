using CellVision.Core.Geometry;
using CellVision.Core.Spatial;
using CellVision.Tracking;
using Xunit.Abstractions;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>The global decoder: a proper lineage always, the optimum of its cost, and the cases the reference gets wrong.</summary>
public class GlobalDecoderTests(ITestOutputHelper output)
{
    private static readonly GnnDecodingOptions Reference = new() { Decoder = GnnDecoder.Reference };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void No_cell_gets_two_parents_or_three_children_whatever_the_probabilities(int seed)
    {
        var scores = RandomScenes.Dense(seed, frames: 8, cellsPerFrame: 6, edgeShare: 0.7);
        var options = new GnnDecodingOptions { Global = new() { AppearCost = seed % 3, DisappearCost = seed % 2, DivisionCost = 0 } };

        var decoded = GnnTrackDecoder.Decode(scores, VoxelSize.Unit, options);

        TrackTableChecks.AssertProperLineage(decoded);
        TrackTableChecks.AssertConsistent(decoded, scores);
        Assert.True(decoded.Assignment!.IsOptimal);
    }

    [Theory]
    [InlineData(11, 1.0, 1.0, 1.0)]
    [InlineData(12, 0.0, 0.0, 0.0)]
    [InlineData(13, 2.0, 0.5, 0.2)]
    [InlineData(14, 0.3, 3.0, 1.5)]
    [InlineData(15, 1.0, 1.0, 0.0)]
    public void The_assignment_is_the_brute_force_optimum(int seed, double appear, double disappear, double division)
    {
        var scores = RandomScenes.Dense(seed, frames: 4, cellsPerFrame: 3, edgeShare: 0.6);
        var global = new GlobalDecoderOptions
        {
            AppearCost = appear, DisappearCost = disappear, DivisionCost = division, MinimumEdgeProbability = 0, DivisionsFromEndedTracks = false, DivisionsFromAppearingCells = false,
            Divisions = DivisionModel.TwoEdges,
        };
        Assert.InRange(scores.Edges.Count, 5, 18);

        var decoded = GnnTrackDecoder.Decode(scores, VoxelSize.Unit, new GnnDecodingOptions { Global = global });

        var best = double.PositiveInfinity;
        for (var mask = 0; mask < 1 << scores.Edges.Count; mask++)
        {
            var links = Enumerable.Range(0, scores.Edges.Count).Where(e => (mask >> e & 1) == 1).Select(e => scores.Edges[e]).ToList();
            if (links.GroupBy(l => l.Target).All(g => g.Count() == 1) && links.GroupBy(l => l.Source).All(g => g.Count() <= 2))
            {
                best = Math.Min(best, Cost(scores, links, global));
            }
        }

        Assert.Equal(best, Cost(scores, decoded.Links, global), 2);
        Assert.Equal(best, decoded.Assignment!.Objective, 2);
    }

    [Theory]
    [InlineData(11, 1.0, 1.0, 1.0, 4.0)]
    [InlineData(12, 0.0, 0.0, 0.0, 0.0)]
    [InlineData(13, 2.0, 0.5, 0.2, 8.0)]
    [InlineData(14, 0.3, 3.0, 1.5, 2.0)]
    [InlineData(16, 1.0, 1.0, 0.0, 4.0)]
    [InlineData(17, 0.5, 0.5, 1.0, 6.0)]
    public void The_midpoint_assignment_is_the_brute_force_optimum(int seed, double appear, double disappear, double division, double weight)
    {
        var scores = RandomScenes.Dense(seed, frames: 4, cellsPerFrame: 3, edgeShare: 0.6);
        var global = new GlobalDecoderOptions
        {
            AppearCost = appear, DisappearCost = disappear, DivisionCost = division, MidpointWeight = weight, MinimumEdgeProbability = 0,
            DivisionsFromEndedTracks = false, DivisionsFromAppearingCells = false,
        };
        Assert.InRange(scores.Edges.Count, 5, 18);

        var decoded = GnnTrackDecoder.Decode(scores, VoxelSize.Unit, new GnnDecodingOptions { Global = global });

        var best = double.PositiveInfinity;
        var divisions = 0;
        for (var mask = 0; mask < 1 << scores.Edges.Count; mask++)
        {
            var links = Enumerable.Range(0, scores.Edges.Count).Where(e => (mask >> e & 1) == 1).Select(e => scores.Edges[e]).ToList();
            if (links.GroupBy(l => l.Target).All(g => g.Count() == 1) && links.GroupBy(l => l.Source).All(g => g.Count() <= 2))
            {
                var cost = MidpointCost(scores, links, global);
                best = Math.Min(best, cost);
                divisions += cost < double.PositiveInfinity && links.GroupBy(l => l.Source).Any(g => g.Count() == 2) ? 1 : 0;
            }
        }

        Assert.True(divisions > 0, "The scene allows no division.");
        Assert.Equal(best, MidpointCost(scores, decoded.Links, global), 2);
        Assert.Equal(best, decoded.Assignment!.Objective, 2);
        Assert.True(decoded.Assignment.IsOptimal);
    }

    [Fact]
    public void A_daughter_the_network_gives_to_a_neighbour_returns_to_the_mother_between_her_daughters()
    {
        // The network sees daughter a as the mother's continuation and daughter b, nearer to neighbour n than to the
        // mother, as n's: priced edge by edge the division loses; the mother sits halfway between a and b.
        var scene = new GnnScene();
        int m = scene.Cell(0, 50, 50), n = scene.Cell(0, 50, 66);
        int a = scene.Cell(1, 50, 43), b = scene.Cell(1, 50, 58), c = scene.Cell(1, 52, 66);
        scene.Edge(m, a, 0.95).Edge(m, b, 0.02).Edge(n, b, 0.3).Edge(n, c, 0.95).Edge(m, c, 0.001);
        var scores = scene.Scores();
        var heuristicsOff = new GlobalDecoderOptions { DivisionsFromEndedTracks = false, DivisionsFromAppearingCells = false };

        var midpoint = GnnTrackDecoder.Decode(scores, VoxelSize.Unit, new GnnDecodingOptions { Global = heuristicsOff });
        var twoEdges = GnnTrackDecoder.Decode(scores, VoxelSize.Unit, new GnnDecodingOptions { Global = heuristicsOff with { Divisions = DivisionModel.TwoEdges } });

        Assert.Equal([new CandidateEdge(m, a), new CandidateEdge(m, b), new CandidateEdge(n, c)], midpoint.Links);
        Assert.DoesNotContain(new CandidateEdge(m, b), twoEdges.Links);
        TrackTableChecks.AssertProperLineage(midpoint);
        TrackTableChecks.AssertConsistent(midpoint, scores);
    }

    [Fact]
    public void A_cell_entering_beside_a_continuing_mother_does_not_become_her_daughter()
    {
        // The mother sits on her continuation a; x enters on one side: the offset ratio is near 0.5, above the neutral 0.4.
        var scene = new GnnScene();
        int m = scene.Cell(0, 50, 50);
        int a = scene.Cell(1, 50, 51), x = scene.Cell(1, 50, 80);
        scene.Edge(m, a, 0.95).Edge(m, x, 0.05);
        var scores = scene.Scores();

        var decoded = GnnTrackDecoder.Decode(scores, VoxelSize.Unit);

        Assert.Equal([new CandidateEdge(m, a)], decoded.Links);
    }

    [Fact]
    public void A_cell_entering_far_from_an_ended_track_gets_no_parent_though_the_reference_gives_it_one()
    {
        var scores = ReferenceDecoderGoldenTests.EnteringCellScene(out var ended, out var entering, out _).Scores();

        var reference = GnnTrackDecoder.Decode(scores, VoxelSize.Unit, Reference);
        var global = GnnTrackDecoder.Decode(scores, VoxelSize.Unit);

        var referenceTrack = reference.Tracks.Single(t => t.Label == reference.NodeLabels[entering]);
        Assert.Equal(reference.NodeLabels[ended], referenceTrack.Parent);
        var globalTrack = global.Tracks.Single(t => t.Label == global.NodeLabels[entering]);
        Assert.Equal(0, globalTrack.Parent);
        Assert.Equal((2, 3), (globalTrack.Begin, globalTrack.End));
        Assert.Empty(global.Spots[entering].Incoming);
        TrackTableChecks.AssertConsistent(global, scores);
    }

    [Fact]
    public void A_clean_division_is_recovered_from_the_mothers_edges()
    {
        var scene = new GnnScene();
        int m0 = scene.Cell(0, 50, 50), m1 = scene.Cell(1, 50, 51);
        int d1 = scene.Cell(2, 44, 45), d2 = scene.Cell(2, 56, 57);
        int d1b = scene.Cell(3, 43, 45), d2b = scene.Cell(3, 57, 57);
        scene.Edge(m0, m1, 0.97).Edge(m1, d1, 0.9).Edge(m1, d2, 0.85).Edge(d1, d1b, 0.95).Edge(d2, d2b, 0.95).Edge(d1, d2b, 0.05).Edge(d2, d1b, 0.04);
        var scores = scene.Scores();

        var decoded = GnnTrackDecoder.Decode(scores, VoxelSize.Unit, new GnnDecodingOptions { Global = new() { DivisionsFromEndedTracks = false, DivisionsFromAppearingCells = false } });

        Assert.Equal([new TrackRecord(1, 0, 1, 0), new TrackRecord(2, 2, 3, 1), new TrackRecord(3, 2, 3, 1)], decoded.Tracks);
        Assert.Equal([1, 1, 2, 3, 2, 3], decoded.NodeLabels);
        Assert.Equal(2, decoded.Spots[m1].Outgoing.Count);
        Assert.True(decoded.Assignment!.IsOptimal);
        TrackTableChecks.AssertProperLineage(decoded);
    }

    [Fact]
    public void A_mother_that_ends_beside_two_new_cells_divides_when_divisions_come_from_ended_tracks()
    {
        var scene = new GnnScene();
        int m0 = scene.Cell(0, 50, 50), m1 = scene.Cell(1, 50, 51), far1 = scene.Cell(1, 90, 90);
        int d1 = scene.Cell(2, 44, 45), d2 = scene.Cell(2, 56, 57), far2 = scene.Cell(2, 90, 91);
        scene.Edge(m0, m1, 0.97).Edge(m1, d1, 0.08).Edge(m1, d2, 0.06).Edge(far1, far2, 0.9);
        var scores = scene.Scores();

        // Edge-by-edge division pricing: the midpoint model would take this division by itself.
        var twoEdges = new GlobalDecoderOptions { Divisions = DivisionModel.TwoEdges };
        var recovered = GnnTrackDecoder.Decode(scores, VoxelSize.Unit, new GnnDecodingOptions { Global = twoEdges });
        var plain = GnnTrackDecoder.Decode(scores, VoxelSize.Unit, new GnnDecodingOptions { Global = twoEdges with { DivisionsFromEndedTracks = false, DivisionsFromAppearingCells = false } });

        Assert.Equal(recovered.NodeLabels[m1], recovered.Tracks.Single(t => t.Label == recovered.NodeLabels[d1]).Parent);
        Assert.Equal(recovered.NodeLabels[m1], recovered.Tracks.Single(t => t.Label == recovered.NodeLabels[d2]).Parent);
        Assert.All(plain.Tracks, t => Assert.Equal(0, t.Parent));
        TrackTableChecks.AssertProperLineage(recovered);
        TrackTableChecks.AssertConsistent(recovered, scores);
    }

    [Fact]
    public void A_cell_that_appears_beside_a_mother_continuing_into_one_daughter_becomes_her_sister()
    {
        // The network took daughter d1 for the mother's continuation; d2 appears as close to the mother as d1, while a
        // cell entering farther than twice that distance (and than the mother's radius) keeps no parent.
        var scene = new GnnScene();
        int m0 = scene.Cell(0, 50, 50), m1 = scene.Cell(1, 50, 51);
        int d1 = scene.Cell(2, 46, 51), d2 = scene.Cell(2, 54, 51), entering = scene.Cell(2, 50, 65);
        scene.Edge(m0, m1, 0.97).Edge(m1, d1, 0.9).Edge(m1, d2, 0.1).Edge(m1, entering, 0.05);
        var scores = scene.Scores();

        var twoEdges = new GlobalDecoderOptions { Divisions = DivisionModel.TwoEdges };
        var adopted = GnnTrackDecoder.Decode(scores, VoxelSize.Unit, new GnnDecodingOptions { Global = twoEdges });
        var plain = GnnTrackDecoder.Decode(scores, VoxelSize.Unit, new GnnDecodingOptions { Global = twoEdges with { DivisionsFromAppearingCells = false } });

        Assert.Contains(new CandidateEdge(m1, d1), adopted.Links);
        Assert.Contains(new CandidateEdge(m1, d2), adopted.Links);
        Assert.DoesNotContain(adopted.Links, l => l.Target == entering);
        Assert.Equal(adopted.Tracks.Single(t => t.Label == adopted.NodeLabels[d1]).Parent, adopted.Tracks.Single(t => t.Label == adopted.NodeLabels[d2]).Parent);
        Assert.DoesNotContain(plain.Links, l => l.Target == d2);
        TrackTableChecks.AssertProperLineage(adopted);
        TrackTableChecks.AssertConsistent(adopted, scores);
    }

    [Fact]
    public void Merges_that_the_reference_keeps_are_resolved()
    {
        var scene = new GnnScene();
        int a0 = scene.Cell(0, 10, 10), b0 = scene.Cell(0, 14, 14);
        int m1 = scene.Cell(1, 12, 12), m2 = scene.Cell(2, 12, 13);
        scene.Edge(a0, m1, 0.9).Edge(b0, m1, 0.8).Edge(m1, m2, 0.9);
        var scores = scene.Scores();

        var reference = GnnTrackDecoder.Decode(scores, VoxelSize.Unit, Reference);
        var global = GnnTrackDecoder.Decode(scores, VoxelSize.Unit);

        Assert.Equal(2, reference.Spots[m1].Incoming.Count);
        Assert.Equal(a0, Assert.Single(global.Spots[m1].Incoming).Source.Id);
        Assert.Equal([new TrackRecord(1, 0, 2, 0), new TrackRecord(2, 0, 0, 0)], global.Tracks);
    }

    [Theory]
    [InlineData(21, true, false)]
    [InlineData(22, false, false)]
    [InlineData(23, true, true)]
    [InlineData(24, false, true)]
    public void Both_decoders_write_a_consistent_track_table_on_random_movies(int seed, bool divisionsAsEdges, bool threeD)
    {
        var scores = RandomScenes.Movie(seed, frames: 30, cells: 15, divisionsAsEdges, noise: 0.1, threeD);

        var global = GnnTrackDecoder.Decode(scores, new VoxelSize(0.5, 0.5, 2));
        var reference = GnnTrackDecoder.Decode(scores, new VoxelSize(0.5, 0.5, 2), Reference);

        TrackTableChecks.AssertConsistent(global, scores);
        TrackTableChecks.AssertProperLineage(global);
        TrackTableChecks.AssertConsistent(reference, scores, mergesAllowed: true);
        Assert.True(global.Assignment!.IsOptimal);
        Assert.Null(reference.Assignment);
        Assert.Contains(global.Tracks, t => t.Parent != 0);
    }

    [Fact]
    public void Spots_sit_at_the_physical_centroid_or_the_given_position()
    {
        var nodes = new[]
        {
            new CellNode(0, 1, 3, 10, 20),
            new CellNode(1, 1, 3, 11, 20) { Position = new Point3(1, 2, 3), Radius = 4 },
        };
        var scores = new EdgeScores(nodes, [new CandidateEdge(0, 1)], [0.9]);

        var decoded = GnnTrackDecoder.Decode(scores, new VoxelSize(0.25, 0.5, 2));

        Assert.Equal((5.0, 5.0, 6.0, 0), (decoded.Spots[0].X, decoded.Spots[0].Y, decoded.Spots[0].Z, decoded.Spots[0].Timepoint));
        Assert.Equal((1.0, 2.0, 3.0, 1), (decoded.Spots[1].X, decoded.Spots[1].Y, decoded.Spots[1].Z, decoded.Spots[1].Timepoint));
        Assert.Equal(decoded.Spots[0], Assert.Single(decoded.Spots[1].Incoming).Source);
    }

    [Fact]
    public void Progress_is_reported_and_cancellation_stops_the_decoder()
    {
        var scores = RandomScenes.Movie(31, frames: 10, cells: 8);
        var reports = new List<GnnDecodingProgress>();

        GnnTrackDecoder.Decode(scores, VoxelSize.Unit, progress: new SynchronousProgress<GnnDecodingProgress>(reports));

        var solved = reports.Where(r => r.Stage == "solve").ToList();
        Assert.NotEmpty(solved);
        Assert.Equal(Enumerable.Range(1, solved.Count), solved.Select(r => r.Done));
        Assert.All(solved, r => Assert.Equal(solved.Count, r.Total));
        Assert.Equal(new[] { ("tracks", 0), ("tracks", 1) }, reports.Skip(solved.Count).Select(r => (r.Stage, r.Done)));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => GnnTrackDecoder.Decode(scores, VoxelSize.Unit, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void An_empty_graph_decodes_to_no_tracks()
    {
        var scores = new EdgeScores([], [], []);

        Assert.Empty(GnnTrackDecoder.Decode(scores, VoxelSize.Unit).Tracks);
        Assert.Empty(GnnTrackDecoder.Decode(scores, VoxelSize.Unit, Reference).Tracks);
    }

    [Fact]
    public void A_sequence_the_size_of_SIM_plus_is_solved_to_optimality()
    {
        // Fluo-N2DH-SIM+ 01 has 65 frames and about 30 cells per frame; this movie starts with 30 and roughly doubles.
        var scores = RandomScenes.Movie(41, frames: 65, cells: 30, divisionsAsEdges: false, noise: 0.1);

        var decoded = GnnTrackDecoder.Decode(scores, VoxelSize.Unit, new GnnDecodingOptions { Global = new() { TimeLimit = TimeSpan.FromSeconds(20) } });

        var summary = decoded.Assignment!;
        output.WriteLine($"{scores.Nodes.Count} cells, {scores.Edges.Count} candidate edges, {summary.EdgesConsidered} in the model, " +
            $"{summary.Variables} variables: {summary.SolveTime.TotalMilliseconds:F0} ms, optimal {summary.IsOptimal}, objective {summary.Objective:F3}");
        Assert.True(summary.IsOptimal);
        Assert.Equal(summary.Objective, summary.Bound, 6);
        TrackTableChecks.AssertConsistent(decoded, scores);
    }

    [Fact]
    public void Bad_settings_and_bad_graphs_are_refused()
    {
        var nodes = new[] { new CellNode(0, 1, 0, 0, 0), new CellNode(1, 1, 0, 0, 0) };

        Assert.Throws<ArgumentException>(() => new EdgeScores(nodes, [new CandidateEdge(1, 0)], [0.5]));
        Assert.Throws<ArgumentException>(() => new EdgeScores(nodes, [new CandidateEdge(0, 1)], [1.5]));
        Assert.Throws<ArgumentException>(() => new EdgeScores(nodes, [new CandidateEdge(0, 2)], [0.5]));
        Assert.Throws<ArgumentException>(() => new EdgeScores(nodes, [new CandidateEdge(0, 1)], []));
        var scores = new EdgeScores(nodes, [new CandidateEdge(0, 1)], [0.5]);
        Assert.Throws<ArgumentOutOfRangeException>(() => GnnTrackDecoder.Decode(scores, VoxelSize.Unit, new GnnDecodingOptions { Global = new() { AppearCost = -1 } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => GnnTrackDecoder.Decode(scores, new VoxelSize(0, 1, 1)));
    }

    /// <summary>
    /// The objective recomputed from a link set with <see cref="DivisionModel.Midpoint"/>: a single child costs its edge's
    /// log-odds; two children cost the better edge (when negative), the division cost and the midpoint term; plus appear
    /// and disappear costs. Infinite for daughters at one place.
    /// </summary>
    private static double MidpointCost(EdgeScores scores, IReadOnlyList<CandidateEdge> links, GlobalDecoderOptions options)
    {
        var first = scores.Nodes.Min(n => n.Frame);
        var last = scores.Nodes.Max(n => n.Frame);
        double EdgeCost(CandidateEdge link)
        {
            var e = Enumerable.Range(0, scores.Edges.Count).First(k => scores.Edges[k] == link);
            var p = Math.Clamp(scores.Probabilities[e], 1e-6, 1 - 1e-6);
            return Math.Log((1 - p) / p);
        }

        var cost = 0.0;
        for (var v = 0; v < scores.Nodes.Count; v++)
        {
            var children = links.Where(l => l.Source == v).ToArray();
            if (children.Length == 1)
            {
                cost += EdgeCost(children[0]);
            }
            else if (children.Length == 2)
            {
                var (mother, d1, d2) = (Position(scores.Nodes[v]), Position(scores.Nodes[children[0].Target]), Position(scores.Nodes[children[1].Target]));
                var separation = Math.Sqrt(d1.SquaredDistanceTo(d2));
                if (separation == 0)
                {
                    return double.PositiveInfinity;
                }

                var ratio = Math.Sqrt(mother.SquaredDistanceTo(new Point3((d1.X + d2.X) / 2, (d1.Y + d2.Y) / 2, (d1.Z + d2.Z) / 2))) / separation;
                cost += Math.Min(Math.Min(EdgeCost(children[0]), EdgeCost(children[1])), 0) + options.DivisionCost + options.MidpointWeight * (ratio - options.NeutralMidpointRatio);
            }

            if (!links.Any(l => l.Target == v) && scores.Nodes[v].Frame != first)
            {
                cost += options.AppearCost;
            }

            if (children.Length == 0 && scores.Nodes[v].Frame != last)
            {
                cost += options.DisappearCost;
            }
        }

        return cost;
    }

    private static Point3 Position(CellNode node) => new(node.Column, node.Row, node.Depth);

    /// <summary>The objective recomputed from a link set: edge log-odds costs plus appear, disappear and division costs.</summary>
    private static double Cost(EdgeScores scores, IReadOnlyList<CandidateEdge> links, GlobalDecoderOptions options)
    {
        var first = scores.Nodes.Min(n => n.Frame);
        var last = scores.Nodes.Max(n => n.Frame);
        var cost = 0.0;
        foreach (var link in links)
        {
            var e = Enumerable.Range(0, scores.Edges.Count).First(k => scores.Edges[k] == link);
            var p = Math.Clamp(scores.Probabilities[e], 1e-6, 1 - 1e-6);
            cost += Math.Log((1 - p) / p);
        }

        for (var v = 0; v < scores.Nodes.Count; v++)
        {
            var children = links.Count(l => l.Source == v);
            if (!links.Any(l => l.Target == v) && scores.Nodes[v].Frame != first)
            {
                cost += options.AppearCost;
            }

            if (children == 0 && scores.Nodes[v].Frame != last)
            {
                cost += options.DisappearCost;
            }

            if (children == 2)
            {
                cost += options.DivisionCost;
            }
        }

        return cost;
    }
}
