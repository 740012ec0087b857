using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.IO.Ctc;
using CellVision.Tests.Shared;
using CellVision.Evaluation;

namespace CellVision.Evaluation.Tests.Ctc;

/// <summary>CTC export from and import into lineage graphs: ELEPHANT's mask drawing, track cutting, round trips and scores.</summary>
public sealed class CtcExportImportTests
{
    private static readonly VoxelSize Pixel = new(0.5, 0.5, 1);

    [Fact]
    public void Masks_draw_sixteen_shells_per_spot_with_inner_shells_winning_and_forced_centres()
    {
        using var temp = new TemporaryFolder();
        var graph = new LineageGraph();
        var a = graph.AddSpot(0, 12.3, 20.6, 0, 12);
        var b = graph.AddSpot(0, 27.4, 19.2, 0, 12);
        var options = new CtcExportOptions { VoxelSize = VoxelSize.Unit, Shape = (1, 40, 50) };

        var result = CtcExporter.Export(graph, temp.Path, options);

        Assert.Equal(1, result.Labels[a]);
        Assert.Equal(2, result.Labels[b]);
        using var mask = CtcSequence.Open(temp.Path, "mask").ReadFrame<ushort>(0);
        // Every shell of both spots covers more than 20 voxels, so none is grown: a voxel belongs to the spot whose
        // deepest shell (largest i with d < (1 − 0.05 i)²) is deepest, the larger label on ties.
        for (var y = 0; y < 40; y++)
        {
            for (var x = 0; x < 50; x++)
            {
                var (shellA, shellB) = (Shell(x, y, a), Shell(x, y, b));
                var expected = shellA < 0 && shellB < 0 ? 0 : shellB >= shellA ? 2 : 1;
                Assert.True(expected == mask[0, y, x], $"voxel ({x}, {y}): expected {expected}, got {mask[0, y, x]}");
            }
        }

        static int Shell(int x, int y, Spot spot)
        {
            var d = ((x - spot.X) * (x - spot.X)) + ((y - spot.Y) * (y - spot.Y));
            var deepest = -1;
            for (var i = 0; i < 16; i++)
            {
                var r = 12 * (1 - (0.05 * i));
                if (d / (r * r) < 1)
                {
                    deepest = i;
                }
            }

            return deepest;
        }
    }

    [Fact]
    public void Tiny_spots_grow_to_twenty_voxels_and_keep_their_centre()
    {
        using var temp = new TemporaryFolder();
        var graph = new LineageGraph();
        graph.AddSpot(0, 10.2, 10.7, 0, 0.1);
        var big = graph.AddSpot(0, 30, 10, 0, 6);
        var cover = graph.AddSpot(0, 30, 10, 0, 12);

        var result = CtcExporter.Export(graph, temp.Path, new CtcExportOptions { VoxelSize = VoxelSize.Unit, Shape = (1, 20, 40) });

        using var mask = CtcSequence.Open(temp.Path, "mask").ReadFrame<ushort>(0);
        Assert.True(mask.Span.Count((ushort)1) >= 20);
        Assert.Equal(1, mask[0, 10, 10]);
        // A larger spot with the same centre and a later label covers every shell of the smaller one, and its centre
        // voxel too: the smaller spot is lost.
        Assert.Equal(result.Labels[cover], mask[0, 10, 30]);
        Assert.Equal([big], result.LostSpots);
    }

    [Fact]
    public void Round_trip_keeps_spots_links_divisions_and_gaps()
    {
        using var temp = new TemporaryFolder();
        var graph = SampleGraph(out _);
        var options = new CtcExportOptions { VoxelSize = Pixel, Shape = (1, 80, 100) };

        var exported = CtcExporter.Export(graph, temp.Path, options);
        var imported = CtcImporter.Import(temp.Path);

        // Tracks: the mother, two daughters, and the gapped cell cut into two pieces joined by a parent link.
        Assert.Equal(
            [new CtcTrack(1, 0, 3, 0), new CtcTrack(2, 0, 1, 0), new CtcTrack(3, 3, 5, 2), new CtcTrack(4, 4, 5, 1), new CtcTrack(5, 4, 6, 1)],
            exported.Tracks);
        Assert.Equal(CtcTrackFile.Read(Path.Combine(temp.Path, "res_track.txt")), exported.Tracks);
        Assert.Empty(exported.LostSpots);
        Assert.Equal(graph.SpotCount, imported.SpotCount);
        Assert.Equal(graph.LinkCount, imported.LinkCount);
        var map = new Dictionary<Spot, Spot>();
        foreach (var spot in graph.Spots)
        {
            var match = imported.SpotsAt(spot.Timepoint).MinBy(s => s.SquaredDistanceTo(spot))!;
            Assert.True(match.SquaredDistanceTo(spot) < 0.5 * 0.5, $"{spot} came back as {match}");
            Assert.Equal(spot.Covariance.EquivalentRadius, match.Covariance.EquivalentRadius, 0.2 * spot.Covariance.EquivalentRadius);
            Assert.Equal(exported.Labels[spot].ToString(System.Globalization.CultureInfo.InvariantCulture), match.Label);
            map[spot] = match;
        }

        Assert.Equal(graph.Spots.Count, map.Values.Distinct().Count());
        var links = imported.Links.Select(l => (l.Source, l.Target)).ToHashSet();
        Assert.All(graph.Links, link => Assert.Contains((map[link.Source], map[link.Target]), links));
    }

    [Fact]
    public void Export_scored_against_ground_truth_from_the_same_graph_gives_perfect_scores()
    {
        using var temp = new TemporaryFolder();
        var graph = SampleGraph(out var cut);
        var options = new CtcExportOptions { VoxelSize = Pixel, Shape = (1, 80, 100) };
        CtcExporter.Export(graph, temp.Sub("01_GT", "TRA"), options with { Kind = CtcFolderKind.GroundTruth });
        CtcExporter.Export(graph, temp.Sub("01_RES"), options);

        var perfect = CtcEvaluator.Evaluate(Path.Combine(temp.Path, "01_GT"), Path.Combine(temp.Path, "01_RES"));

        Assert.Equal(1.0, perfect.Scores.Tra);
        Assert.Equal(1.0, perfect.Scores.Det);
        Assert.Equal(1.0, perfect.Scores.Lnk);

        // Without one link the result has the same masks but one reference edge too few.
        graph.RemoveLink(cut);
        Directory.Delete(Path.Combine(temp.Path, "01_RES"), recursive: true);
        CtcExporter.Export(graph, temp.Sub("01_RES"), options);
        var missing = CtcEvaluator.Evaluate(Path.Combine(temp.Path, "01_GT"), Path.Combine(temp.Path, "01_RES"));
        Assert.Equal(new AogmCounts(0, 0, 0, 0, 1, 0), missing.Scores.Counts);
        Assert.Equal(1.0, missing.Scores.Det);
    }

    [Fact]
    public void Only_lineages_with_a_completed_root_are_exported_when_asked()
    {
        using var temp = new TemporaryFolder();
        var graph = SampleGraph(out _);
        var root = graph.SpotsAt(0).Single(s => s.Outgoing.Count == 1 && s.Outgoing[0].Target.Outgoing.Count == 1 && s.X < 20);
        root.Tags[CtcExportOptions.StatusTagSet] = CtcExportOptions.CompletedTag;

        var result = CtcExporter.Export(graph, temp.Path, new CtcExportOptions { VoxelSize = Pixel, Shape = (1, 80, 100), OnlyCompletedLineages = true });

        // The mother (t 0-3) and her two daughters; the other cell is left out, though the masks cover every frame.
        Assert.Equal([new CtcTrack(1, 0, 3, 0), new CtcTrack(2, 4, 5, 1), new CtcTrack(3, 4, 6, 1)], result.Tracks);
        Assert.Equal(7, Directory.EnumerateFiles(temp.Path, "mask*.tif").Count());
        Assert.Empty(CtcValidator.ValidateFolder(temp.Path));
    }

    [Fact]
    public void Frame_range_clips_tracks()
    {
        using var temp = new TemporaryFolder();
        var graph = SampleGraph(out _);

        var result = CtcExporter.Export(graph, temp.Path, new CtcExportOptions { VoxelSize = Pixel, Shape = (1, 80, 100), LastFrame = 4 });

        Assert.Equal([new CtcTrack(1, 0, 3, 0), new CtcTrack(2, 0, 1, 0), new CtcTrack(3, 3, 4, 2), new CtcTrack(4, 4, 4, 1), new CtcTrack(5, 4, 4, 1)], result.Tracks);
        Assert.Equal(5, Directory.EnumerateFiles(temp.Path, "mask*.tif").Count());
    }

    [Fact]
    public void A_rotated_anisotropic_3d_ellipsoid_comes_back_with_its_centre_and_axes()
    {
        using var temp = new TemporaryFolder();
        var graph = new LineageGraph();
        var voxelSize = new VoxelSize(0.5, 0.5, 2);
        // Radii 6, 3 and 4 µm; the first two axes turned 30° in the XY plane.
        var (c, s) = (Math.Cos(Math.PI / 6), Math.Sin(Math.PI / 6));
        var (r1, r2, r3) = (36.0, 9.0, 16.0);
        var covariance = new Covariance3((c * c * r1) + (s * s * r2), c * s * (r1 - r2), 0, (s * s * r1) + (c * c * r2), 0, r3);
        var spot = graph.AddSpot(0, 12.1, 11.8, 11.3, covariance);
        CtcExporter.Export(graph, temp.Path, new CtcExportOptions { VoxelSize = voxelSize, Shape = (12, 48, 48) });

        var back = Assert.Single(CtcImporter.Import(temp.Path).Spots);

        Assert.True(back.SquaredDistanceTo(spot) < 0.3 * 0.3, back.ToString());
        var got = back.Covariance;
        Assert.Equal(covariance.XX, got.XX, 0.15 * covariance.XX);
        Assert.Equal(covariance.YY, got.YY, 0.15 * covariance.YY);
        Assert.Equal(covariance.XY, got.XY, 0.15 * covariance.XY);
        Assert.Equal(covariance.ZZ, got.ZZ, 0.2 * covariance.ZZ);
        Assert.True(Math.Abs(got.XZ) < 1 && Math.Abs(got.YZ) < 1);
    }

    [Fact]
    public void Import_rejects_gaps_unless_allowed()
    {
        using var temp = new TemporaryFolder();
        CtcLabelFiles.Write<ushort>(temp.Path, "mask", 0, [[1, 1, 0, 0]]);
        CtcLabelFiles.Write<ushort>(temp.Path, "mask", 1, [[0, 0, 0, 0]]);
        CtcLabelFiles.Write<ushort>(temp.Path, "mask", 2, [[0, 1, 1, 0]]);
        CtcTrackFile.Write(Path.Combine(temp.Path, "res_track.txt"), [new CtcTrack(1, 0, 2, 0)]);

        var error = Assert.Throws<CtcConsistencyException>(() => CtcImporter.Import(temp.Path));
        Assert.Contains(error.Issues, i => i.Kind == CtcIssueKind.MissingFromFrame && i.Frame == 1);

        var graph = CtcImporter.Import(temp.Path, new CtcImportOptions { AllowGaps = true, VoxelSize = VoxelSize.Unit });
        Assert.Equal(2, graph.SpotCount);
        var link = Assert.Single(graph.Links);
        Assert.Equal((0, 2), (link.Source.Timepoint, link.Target.Timepoint));
        Assert.Equal((0.5, 1.5), (link.Source.X, link.Target.X));
    }

    [Fact]
    public void Import_reads_the_simulated_ground_truth_and_its_export_matches_every_cell()
    {
        var source = SharedData.PathOf("ctc-fluo-n2dh-sim-01-tra", "TRA");
        var tracks = CtcTrackFile.Read(Path.Combine(source, "man_track.txt"));
        var reports = new List<CtcProgress>();

        var graph = CtcImporter.Import(source, progress: new SynchronousProgress<CtcProgress>(reports));

        Assert.Equal(tracks.Sum(t => t.End - t.Begin + 1), graph.SpotCount);
        Assert.Equal(tracks.Sum(t => t.End - t.Begin) + tracks.Count(t => t.Parent != 0), graph.LinkCount);
        Assert.Equal(tracks.Count(t => t.Parent == 0), graph.Spots.Count(s => s.Incoming.Count == 0));
        Assert.Contains(new CtcProgress("reading masks", 65, 65), reports);

        // Ellipses with the nuclei's moments overlap the real masks by more than half everywhere.
        using var temp = new TemporaryFolder();
        using var first = CtcSequence.Open(source, "man_track").ReadFrame<ushort>(0);
        var exported = CtcExporter.Export(graph, temp.Path, new CtcExportOptions { VoxelSize = VoxelSize.Unit, Shape = (1, first.Height, first.Width) });
        var evaluation = CtcEvaluator.Evaluate(Path.GetDirectoryName(source)!, temp.Path);

        // A parent link to a single child that starts right after it (3 in this ground truth) is a plain link in the
        // graph, so the export continues the track: one track fewer each, and an EC edit each.
        var continuations = tracks.Where(t => t.Parent != 0 && tracks.Count(s => s.Parent == t.Parent) == 1 && tracks.Single(p => p.Label == t.Parent).End + 1 == t.Begin).ToArray();
        Assert.Equal(3, continuations.Length);
        Assert.Equal(tracks.Count - continuations.Length, exported.Tracks.Count);
        Assert.Equal(new AogmCounts(0, 0, 0, 0, 0, continuations.Length), evaluation.Scores.Counts);
        Assert.Equal(1.0, evaluation.Scores.Det);
    }

    [Fact]
    public void Export_and_import_report_progress_and_stop_when_cancelled()
    {
        using var temp = new TemporaryFolder();
        var graph = SampleGraph(out _);
        var reports = new List<CtcProgress>();
        var options = new CtcExportOptions { VoxelSize = Pixel, Shape = (1, 80, 100) };

        CtcExporter.Export(graph, temp.Path, options, new SynchronousProgress<CtcProgress>(reports));
        CtcImporter.Import(temp.Path, progress: new SynchronousProgress<CtcProgress>(reports));

        Assert.Contains(new CtcProgress("writing masks", 7, 7), reports);
        Assert.Contains(new CtcProgress("reading masks", 7, 7), reports);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => CtcExporter.Export(graph, temp.Sub("again"), options, cancellationToken: cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => CtcImporter.Import(temp.Path, cancellationToken: cancelled.Token));
    }

    /// <summary>
    /// A mother (t 0-3, left) dividing into two daughters (t 4-5 and 4-6), and a second cell (right) seen at t 0-1 and
    /// 3-5, linked across the missing t 2. Radii 3 µm on 0.5 µm pixels. <paramref name="cut"/> is the mother's t1 → t2 link.
    /// </summary>
    private static LineageGraph SampleGraph(out Link cut)
    {
        var graph = new LineageGraph();
        var mother = Enumerable.Range(0, 4).Select(t => graph.AddSpot(t, 10 + t, 15, 0, 3)).ToArray();
        for (var t = 0; t < 3; t++)
        {
            graph.AddLink(mother[t], mother[t + 1]);
        }

        cut = graph.FindLink(mother[1], mother[2])!;
        var first = Enumerable.Range(4, 2).Select(t => graph.AddSpot(t, 12 + t, 8, 0, 3)).ToArray();
        var second = Enumerable.Range(4, 3).Select(t => graph.AddSpot(t, 12 + t, 24, 0, 3)).ToArray();
        graph.AddLink(mother[3], first[0]);
        graph.AddLink(first[0], first[1]);
        graph.AddLink(mother[3], second[0]);
        graph.AddLink(second[0], second[1]);
        graph.AddLink(second[1], second[2]);
        var other = new[] { 0, 1, 3, 4, 5 }.Select(t => graph.AddSpot(t, 40, 20 + t, 0, 3)).ToArray();
        for (var i = 0; i < other.Length - 1; i++)
        {
            graph.AddLink(other[i], other[i + 1]);
        }

        return graph;
    }
}
