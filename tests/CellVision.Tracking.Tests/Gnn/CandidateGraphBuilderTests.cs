using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Synthetic;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>The radius gate, graphs of spot lineages, frame gaps, windows and what bad input reports.</summary>
public sealed class CandidateGraphBuilderTests
{
    [Fact]
    public void Radius_gate_keeps_exactly_the_pairs_within_the_physical_radius()
    {
        var voxel = new VoxelSize(0.5, 0.5, 2.0);
        using var movie = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Timepoints = 4, Depth = 12, Height = 64, Width = 64, InitialNuclei = 14, VoxelSize = voxel, Seed = 5 });
        var cells = new List<CellFeatures>();
        for (var t = 0; t < 4; t++)
        {
            cells.AddRange(CellFeatureExtractor.ExtractWithTrackIds(movie.Images[t], movie.Masks[t], movie.Masks[t], t));
        }

        const double radius = 9;
        var graph = CandidateGraphBuilder.Build(cells, new CandidateGraphOptions { Gate = CandidateGate.Radius, Radius = radius, VoxelSize = voxel });

        var sorted = cells.OrderBy(c => c.Frame).ThenBy(c => c.Label).ToArray();
        var expected = new List<(int, int)>();
        for (var i = 0; i < sorted.Length; i++)
        {
            for (var j = 0; j < sorted.Length; j++)
            {
                var (a, b) = (sorted[i].Centroid, sorted[j].Centroid);
                var d2 = Square((b.X * voxel.X) - (a.X * voxel.X)) + Square((b.Y * voxel.Y) - (a.Y * voxel.Y)) + Square((b.Z * voxel.Z) - (a.Z * voxel.Z));
                if (sorted[j].Frame == sorted[i].Frame + 1 && d2 <= radius * radius)
                {
                    expected.Add((i, j));
                }
            }
        }

        Assert.Equal(16, graph.FeatureCount);
        Assert.Null(graph.EdgeLabels);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Enumerable.Range(0, graph.EdgeCount).Select(e => (graph.Source(e), graph.Target(e))));
        var pairs = Enumerable.Range(0, 3).Sum(t => sorted.Count(c => c.Frame == t) * sorted.Count(c => c.Frame == t + 1));
        Assert.True(expected.Count < pairs / 2, $"{expected.Count} of {pairs} pairs are within {radius} µm");
    }

    [Fact]
    public void Spot_lineages_give_geometry_graphs_whose_division_edges_are_negative()
    {
        var lineage = new LineageGraph();
        var a0 = lineage.AddSpot(0, 10, 10, 5, 2);
        var a1 = lineage.AddSpot(1, 11, 10, 5, 2);
        var d1 = lineage.AddSpot(2, 9, 10, 5, 2);
        var d2 = lineage.AddSpot(2, 14, 10, 5, 2);
        var far = lineage.AddSpot(2, 60, 60, 5, 2);
        lineage.AddLink(a0, a1);
        lineage.AddLink(a1, d1);
        lineage.AddLink(a1, d2);

        var graph = CandidateGraphBuilder.BuildFromSpots(lineage, new CandidateGraphOptions { TrainingLabels = true });

        Assert.Equal(7, graph.FeatureCount);
        Assert.Equal([new GraphNode(0, (uint)a0.Id), new(1, (uint)a1.Id), new(2, (uint)d1.Id), new(2, (uint)d2.Id), new(2, (uint)far.Id)], graph.Nodes);
        // Box half-width 2 · (2 · 2 µm) = 8 µm per axis: the far spot is out, both daughters in, and only a0 → a1 is a true link.
        Assert.Equal([(0, 1), (1, 2), (1, 3)], Enumerable.Range(0, graph.EdgeCount).Select(e => (graph.Source(e), graph.Target(e))));
        Assert.Equal([1f, 0f, 0f], graph.EdgeLabels!);
        Assert.Equal(1, graph.PositiveEdgeCount);
    }

    [Fact]
    public void Division_edges_become_positive_when_asked_for_and_cells_without_parents_refuse_it()
    {
        var lineage = new LineageGraph();
        var a0 = lineage.AddSpot(0, 10, 10, 5, 2);
        var a1 = lineage.AddSpot(1, 11, 10, 5, 2);
        var d1 = lineage.AddSpot(2, 9, 10, 5, 2);
        var d2 = lineage.AddSpot(2, 30, 10, 5, 2); // outside the 8 µm box: a positive is kept even out of the gate
        lineage.AddLink(a0, a1);
        lineage.AddLink(a1, d1);
        lineage.AddLink(a1, d2);

        var graph = CandidateGraphBuilder.BuildFromSpots(lineage, new CandidateGraphOptions { TrainingLabels = true, PositiveDivisionLinks = true });

        Assert.Equal([(0, 1), (1, 2), (1, 3)], Enumerable.Range(0, graph.EdgeCount).Select(e => (graph.Source(e), graph.Target(e))));
        Assert.Equal([1f, 1f, 1f], graph.EdgeLabels!);
        var windows = TrainingWindows.CreateFromSpots(lineage, new CandidateGraphOptions { PositiveDivisionLinks = true }, length: 3);
        Assert.Equal(3, Assert.Single(windows).PositiveEdgeCount);

        Assert.Throws<ArgumentException>(() => CandidateGraphBuilder.Build([Cell(0, 1, 1, (10, 10))], new CandidateGraphOptions { TrainingLabels = true, PositiveDivisionLinks = true }));
    }

    [Fact]
    public void Candidates_join_consecutive_present_frames_but_positives_need_a_one_frame_step()
    {
        CellFeatures[] cells = [Cell(0, 1, 1, (10, 10)), Cell(1, 1, 1, (11, 10)), Cell(3, 1, 1, (12, 10)), Cell(3, 2, 2, (12, 11))];

        var graph = CandidateGraphBuilder.Build(cells, new CandidateGraphOptions { TrainingLabels = true });

        Assert.Equal([(0, 1), (1, 2), (1, 3)], Enumerable.Range(0, graph.EdgeCount).Select(e => (graph.Source(e), graph.Target(e))));
        Assert.Equal([1f, 0f, 0f], graph.EdgeLabels!);

        var tight = CandidateGraphBuilder.Build(cells, new CandidateGraphOptions { Roi = (0, 1, 0) });
        Assert.Equal([(0, 1), (1, 2)], Enumerable.Range(0, tight.EdgeCount).Select(e => (tight.Source(e), tight.Target(e))));
    }

    [Fact]
    public void Windows_count_frame_positions_and_need_a_whole_window()
    {
        var frames = Enumerable.Range(0, 12)
            .Select(t => (IReadOnlyList<CellFeatures>)(t == 4 ? [] : [Cell(t, 1, 1, (10, 10 + t)), Cell(t, 2, 2, (30, 10))]))
            .ToList();

        var windows = TrainingWindows.Create(frames);

        Assert.Equal(3, windows.Count);
        Assert.Equal(18, windows[0].NodeCount); // frames 0–9, frame 4 empty
        Assert.All(windows, w => Assert.NotNull(w.EdgeLabels));
        Assert.Empty(TrainingWindows.Create(frames.Take(9).ToList()));
        Assert.Equal(4, TrainingWindows.Create(frames, length: 3, stride: 3).Count);
    }

    [Fact]
    public void Bad_input_is_named()
    {
        Assert.Throws<ArgumentException>(() => CandidateGraphBuilder.Build(Array.Empty<CellFeatures>()));
        Assert.Throws<ArgumentNullException>(() => CandidateGraphBuilder.Build((IReadOnlyList<CellFeatures>)null!));
        var noTrack = Assert.Throws<ArgumentException>(() => CandidateGraphBuilder.Build([Cell(0, 5, 0, (1, 1))], new CandidateGraphOptions { TrainingLabels = true }));
        Assert.Contains("label 5", noTrack.Message);
        var twice = Assert.Throws<ArgumentException>(() => CandidateGraphBuilder.Build([Cell(0, 5, 1, (1, 1)), Cell(0, 5, 2, (3, 1))]));
        Assert.Contains("twice", twice.Message);
        var mixed = Assert.Throws<ArgumentException>(() => CandidateGraphBuilder.Build([Cell(0, 5, 1, (1, 1)), Cell(0, 6, 2, (3, 1)) with { Dimensions = 3 }]));
        Assert.Contains("mix", mixed.Message);
        Assert.Throws<ArgumentException>(() => CandidateGraphBuilder.Build([Cell(-1, 5, 1, (1, 1))]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CandidateGraphBuilder.Build([Cell(0, 5, 1, (1, 1))], new CandidateGraphOptions { Radius = -1 }));
        var order = Assert.Throws<ArgumentException>(() => TrainingWindows.Create([[Cell(3, 1, 1, (1, 1))], [Cell(2, 1, 1, (1, 1))]]));
        Assert.Contains("time order", order.Message);
        Assert.Throws<ArgumentException>(() => TrainingWindows.Create([[Cell(3, 1, 1, (1, 1)), Cell(4, 2, 1, (1, 1))]]));
    }

    private static double Square(double value) => value * value;

    /// <summary>A 2-D cell of 3 × 3 pixels centred at (y, x).</summary>
    private static CellFeatures Cell(int frame, uint label, uint track, (int Y, int X) centre) => new()
    {
        Frame = frame, Label = label, TrackId = track, Dimensions = 2, Area = 9,
        BoundingBoxMin = (0, centre.Y - 1, centre.X - 1), BoundingBoxMax = (1, centre.Y + 2, centre.X + 2),
        Centroid = (0, centre.Y, centre.X), Covariance = new(2.0 / 3, 0, 0, 2.0 / 3, 0, 0),
        MajorAxisLength = 4 * Math.Sqrt(2.0 / 3), MinorAxisLength = 4 * Math.Sqrt(2.0 / 3),
        MaxIntensity = 9, MeanIntensity = 5, MinIntensity = 1,
    };
}
