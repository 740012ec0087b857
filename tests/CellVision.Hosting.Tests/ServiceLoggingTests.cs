using CellVision.Detection;
using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Synthetic;
using CellVision.Core.Volumes;
using CellVision.IO.Movies;
using CellVision.IO.Ctc;
using Microsoft.Extensions.Logging;

namespace CellVision.Hosting.Tests;

/// <summary>Each service does its job and logs it: what, how many, how long; warnings for suspicious input.</summary>
public class ServiceLoggingTests
{
    private static readonly SyntheticTimeLapseOptions SmallMovie = new() { Timepoints = 3, Depth = 8, Height = 32, Width = 32, InitialNuclei = 3, Seed = 2 };

    [Fact]
    public void The_movie_store_writes_and_reads_a_movie_and_logs_frames_shape_and_time()
    {
        using var host = new TestHost();
        using var folder = new TemporaryFolder();
        using var movie = SyntheticTimeLapse.Generate(SmallMovie);
        var store = host.Get<IMovieStore>();

        store.Write(folder["movie.zarr"], movie.Images);
        using var read = store.Read(folder["movie.zarr"]);

        Assert.Equal(3, read.Count);
        Assert.Equal(MovieFormat.Zarr, read.Format);
        Assert.Equal(folder["movie.zarr"], read.Source);
        Assert.Equal(movie.Options.VoxelSize, read.VoxelSize);
        Assert.Equal((8, 32, 32), read.Shape);
        for (var t = 0; t < 3; t++)
        {
            Assert.True(movie.Images[t].Span.SequenceEqual(read[t].Span));
        }

        var messages = host.Logs.Of<MovieStore>().Select(e => e.Message).ToList();
        Assert.Contains(messages, m => m.StartsWith("Writing movie " + folder["movie.zarr"] + " (Zarr): 3 frame(s) of 8×32×32 voxels", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Wrote movie " + folder["movie.zarr"], StringComparison.Ordinal) && m.EndsWith(" ms", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Read movie " + folder["movie.zarr"] + ": 3 frame(s) of 8×32×32 voxels, voxel size 0.5×0.5×2 µm, in ", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Of<MovieStore>(), e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public void The_movie_store_warns_about_blank_frames_missing_voxel_sizes_and_existing_targets()
    {
        using var host = new TestHost();
        using var folder = new TemporaryFolder();
        using var blank = new Volume<ushort>(4, 16, 16);
        using var movie = SyntheticTimeLapse.Generate(SmallMovie with { Timepoints = 1 });
        var store = host.Get<IMovieStore>();

        store.Write(folder["blank.tif"], [blank]);
        store.Write(folder["blank.tif"], [blank]);
        using (var read = store.Read(folder["blank.tif"]))
        {
            Assert.Single(read);
        }

        using (var sized = store.Read(folder["blank.tif"], voxelSize: new VoxelSize(0.5, 0.5, 2)))
        {
            Assert.Equal(new VoxelSize(0.5, 0.5, 2), sized[0].VoxelSize);
        }

        var warnings = host.Logs.Of<MovieStore>(LogLevel.Warning).Select(e => e.EventId.Id).ToList();
        Assert.Contains(1010, warnings);            // a frame holding one value
        Assert.Contains(1012, warnings);            // no voxel size in the file
        Assert.Contains(1013, warnings);            // the target exists
        Assert.Single(warnings, id => id == 1012);  // not when the caller gives the voxel size
    }

    [Fact]
    public void The_clahe_service_equalises_with_the_configured_clip_limit_and_logs_ranges()
    {
        using var host = new TestHost(o => o.Clahe = o.Clahe with { ClipLimit = 0.02, KernelSize = [5, 8, 8] });
        using var movie = SyntheticTimeLapse.Generate(SmallMovie);
        var clahe = host.Get<IClaheService>();

        using var equalised = clahe.Equalize(movie.Images[0]);
        using var unit = clahe.EqualizeToUnit(movie.Images[0]);
        var progress = new List<int>();
        using var all = clahe.EqualizeMovie(movie.Images, new SynchronousProgress<int>(progress.Add));

        Assert.Equal((8, 32, 32), (equalised.Depth, equalised.Height, equalised.Width));
        Assert.Equal(65535, equalised.Span.ToArray().Max());
        Assert.Equal(1.0, unit.Span.ToArray().Max());
        Assert.Equal([1, 2, 3], progress);
        Assert.Equal(3, all.Count);
        Assert.True(all[0].Span.SequenceEqual(equalised.Span));

        var messages = host.Logs.Of<ClaheService>().Select(e => e.Message).ToList();
        Assert.Contains(messages, m => m.StartsWith("The volume: CLAHE of 8×32×32 voxels (range ", StringComparison.Ordinal) && m.Contains("kernel 5×8×8, clip limit 0.02, 256 bins", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("The volume: CLAHE of 8×32×32 voxels done, output range 0–65535, in ", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Timepoint 2: CLAHE", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("CLAHE of 3 frame(s) done in ", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Of<ClaheService>(LogLevel.Warning), e => e.EventId.Id == 4011); // 5 of 8 planes is more than half: a large kernel
    }

    [Fact]
    public void The_clahe_service_warns_about_a_constant_volume()
    {
        using var host = new TestHost();
        using var flat = new Volume<ushort>(4, 16, 16);
        flat.Span.Fill(7);
        using var result = host.Get<IClaheService>().Equalize(flat);
        Assert.Contains(host.Logs.Of<ClaheService>(LogLevel.Warning), e => e.EventId.Id == 4010 && e.Message.Contains("every voxel is 7", StringComparison.Ordinal));
    }

    [Fact]
    public void Linking_logs_the_counts_and_warns_about_gaps_and_a_threshold_that_links_nothing()
    {
        using var host = new TestHost(o => o.Linking = o.Linking with { DistanceThreshold = 1 });
        var graph = new LineageGraph();
        graph.AddSpot(0, 10, 10, 10, 2.0);
        graph.AddSpot(1, 13, 10, 10, 2.0);
        graph.AddSpot(3, 16, 10, 10, 2.0);

        var result = host.Get<ITrackLinker>().LinkAll(graph);

        Assert.Equal(0, result.LinksAdded);
        var entries = host.Logs.Of<TrackLinker>();
        Assert.Contains(entries, e => e.Message == "Linking timepoints 1–3 (3 spots): distance threshold 1 µm, at most 2 children, search depth 1, motion correction False");
        Assert.Contains(entries, e => e.Message.StartsWith("Linked timepoints 1–3: 0 links added, 0 removed, 0 spots interpolated, 2 spots without a parent, in ", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Level == LogLevel.Warning && e.EventId.Id == 3011 && e.Message.Contains("(2)", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Level == LogLevel.Warning && e.EventId.Id == 3012);
    }

    [Fact]
    public void Linking_an_empty_graph_warns()
    {
        using var host = new TestHost();
        Assert.Equal(default, host.Get<ITrackLinker>().LinkAll(new LineageGraph()));
        Assert.Contains(host.Logs.Of<TrackLinker>(LogLevel.Warning), e => e.EventId.Id == 3010);
    }

    [Fact]
    public void The_ctc_service_exports_truth_and_relinked_result_and_scores_them()
    {
        using var host = new TestHost();
        using var folder = new TemporaryFolder();
        using var movie = SyntheticTimeLapse.Generate(SmallMovie with { Timepoints = 4 });
        var ctc = host.Get<ICtcService>();
        var exportOptions = new CtcExportOptions { VoxelSize = movie.Options.VoxelSize, Shape = (8, 32, 32), LastFrame = 3 };

        var truth = ctc.Export(movie.Truth, Path.Combine(folder.Path, "01_GT", "TRA"), exportOptions with { Kind = CtcFolderKind.GroundTruth });
        foreach (var link in movie.Truth.Links.ToArray())
        {
            movie.Truth.RemoveLink(link);
        }

        host.Get<ITrackLinker>().LinkAll(movie.Truth);
        var progress = new System.Collections.Concurrent.ConcurrentBag<CtcProgress>();
        ctc.Export(movie.Truth, folder["01_RES"], exportOptions, new SynchronousProgress<CtcProgress>(progress.Add));
        var evaluation = ctc.Evaluate(folder["01_GT"], folder["01_RES"]);

        Assert.True(truth.Tracks.Count > 0);
        Assert.NotEmpty(progress);
        Assert.Equal(1.0, evaluation.Scores.Det);
        Assert.InRange(evaluation.Scores.Tra!.Value, 0.9, 1.0);
        var messages = host.Logs.Of<CtcService>().Select(e => e.Message).ToList();
        Assert.Contains(messages, m => m.StartsWith("Exported CTC GroundTruth to ", StringComparison.Ordinal) && m.Contains($"{truth.Tracks.Count} tracks", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Exported CTC Result to ", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith($"Evaluated {folder["01_RES"]}: TRA ", StringComparison.Ordinal) && m.Contains("DET 1.0000", StringComparison.Ordinal) && m.Contains("FN 0, FP 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Exporting_spots_outside_the_frame_warns()
    {
        using var host = new TestHost();
        using var folder = new TemporaryFolder();
        var graph = new LineageGraph();
        graph.AddSpot(0, 5, 5, 5, 2.0);
        graph.AddSpot(0, 500, 5, 5, 2.0);

        host.Get<ICtcService>().Export(graph, folder["01_RES"], new CtcExportOptions { VoxelSize = new VoxelSize(1, 1, 1), Shape = (16, 16, 16) });
        Assert.Contains(host.Logs.Of<CtcService>(LogLevel.Warning), e => e.EventId.Id == 5011 && e.Message.StartsWith("1 of 2 spots", StringComparison.Ordinal));
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (Progress{T} posts to the thread pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
