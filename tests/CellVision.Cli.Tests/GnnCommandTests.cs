using CellVision.Core.Volumes;
using CellVision.IO.Ctc;

namespace CellVision.Cli.Tests;

/// <summary><c>cellvision gnn train|track</c> on the real Fluo-N2DH-SIM+ sequence: a model file, a complete CTC result, clear errors.</summary>
public sealed class GnnCommandTests
{
    [Fact]
    public void Train_then_track_writes_a_ctc_result_that_evaluate_scores()
    {
        var data = Path.GetDirectoryName(SharedData.PathOf("ctc-fluo-n2dh-sim-01", "01"))!;
        using var folder = new TemporaryFolder();
        var train = CliRunner.Run("gnn", "train", "--data", data, "--sequences", "01", "--model", folder["gnn.pth"], "--epochs", "1", "--frames", "0-11", "--seed", "1", "--embedding-epochs", "1");
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("embedding epoch 1:", train.Output);
        Assert.Contains("epoch 1:", train.Output);
        Assert.True(File.Exists(folder["gnn.pth"]));
        Assert.True(File.Exists(folder["gnn-last.pth"]));
        Assert.True(File.Exists(folder["gnn-embedding.pth"])); // the metric-learning model (all_params.pth), where gnn track looks

        // The hand-crafted-only mode needs no embedding, and a given embedding model is used instead of training one.
        var handcrafted = CliRunner.Run("gnn", "train", "--data", data, "--sequences", "01", "--model", folder["plain.pth"], "--epochs", "1", "--frames", "0-9", "--features", "handcrafted");
        Assert.True(handcrafted.ExitCode == 0, handcrafted.Error);
        Assert.False(File.Exists(folder["plain-embedding.pth"]));
        var given = CliRunner.Run("gnn", "train", "--data", data, "--sequences", "01", "--model", folder["given.pth"], "--epochs", "1", "--frames", "0-9", "--embedding-model", folder["gnn-embedding.pth"]);
        Assert.True(given.ExitCode == 0, given.Error);
        Assert.DoesNotContain("embedding epoch", given.Output);
        Assert.True(File.Exists(folder["given-embedding.pth"]));

        // Track frames 0–11 of the ground-truth masks (a copy, so that the result covers exactly those frames).
        var masks = folder.Sub("masks");
        foreach (var t in Enumerable.Range(0, 12))
        {
            var name = $"man_track{t:D3}.tif";
            File.Copy(Path.Combine(data, "01_GT", "TRA", name), Path.Combine(masks, name));
        }

        var result = folder["01_RES"];
        var track = CliRunner.Run("gnn", "track", "--images", Path.Combine(data, "01"), "--masks", masks, "--model", folder["gnn.pth"], "--out", result, "--lineage", folder["tracks.xml"]);
        Assert.True(track.ExitCode == 0, track.Error);
        Assert.Equal(12, Directory.GetFiles(result, "mask*.tif").Length);
        var tracks = CtcTrackFile.Read(Path.Combine(result, "res_track.txt"));

        // The TrackMate file holds every tracked cell and the links of the track table.
        var lineage = CellVision.IO.Lineage.LineageFiles.Read(folder["tracks.xml"]);
        Assert.Equal(tracks.Sum(t => t.End - t.Begin + 1), lineage.SpotCount);
        Assert.Equal(lineage.SpotCount - tracks.Count(t => t.Parent == 0), lineage.LinkCount);
        Assert.NotEmpty(tracks);
        Assert.All(tracks, t => Assert.True(t.Begin <= t.End && t.End <= 11 && (t.Parent == 0 || tracks.Any(p => p.Label == t.Parent && p.End < t.Begin))));
        using (var first = LabelFrame.Read(Path.Combine(result, "mask000.tif")))
        {
            var labels = ((Volume<ushort>)first.Volume).Span.ToArray().Where(v => v != 0).Distinct().ToList();
            Assert.All(labels, l => Assert.Contains(tracks, t => t.Label == l && t.Begin == 0));
        }

        // Without its embedding model beside it, an embedding model's weights are refused with one message; --embedding-model supplies it.
        File.Move(folder["gnn-embedding.pth"], folder["elsewhere.pth"]);
        var lost = CliRunner.Run("gnn", "track", "--images", Path.Combine(data, "01"), "--masks", masks, "--model", folder["gnn.pth"], "--out", folder["03_RES"]);
        Assert.Equal(2, lost.ExitCode);
        Assert.Contains("gnn-embedding.pth", lost.Error);
        var found = CliRunner.Run("gnn", "track", "--images", Path.Combine(data, "01"), "--masks", masks, "--model", folder["gnn.pth"], "--out", folder["03_RES"], "--embedding-model", folder["elsewhere.pth"]);
        Assert.True(found.ExitCode == 0, found.Error);
        File.Move(folder["elsewhere.pth"], folder["gnn-embedding.pth"]);

        // The reference decoder runs too.
        var reference = CliRunner.Run("gnn", "track", "--images", Path.Combine(data, "01"), "--masks", masks, "--model", folder["gnn.pth"], "--out", folder["02_RES"], "--decoder", "reference");
        Assert.True(reference.ExitCode == 0, reference.Error);

        // So does edge-by-edge division pricing; an unknown division model is refused.
        var twoEdges = CliRunner.Run("gnn", "track", "--images", Path.Combine(data, "01"), "--masks", masks, "--model", folder["gnn.pth"], "--out", folder["04_RES"], "--divisions", "two-edges");
        Assert.True(twoEdges.ExitCode == 0, twoEdges.Error);
        Assert.True(File.Exists(Path.Combine(folder["04_RES"], "res_track.txt")));
        var unknown = CliRunner.Run("gnn", "track", "--images", Path.Combine(data, "01"), "--masks", masks, "--model", folder["gnn.pth"], "--out", folder["05_RES"], "--divisions", "three");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.False(Directory.Exists(folder["05_RES"]));
    }

    [Fact]
    public void Missing_frames_mismatched_sizes_and_wrong_models_fail_with_one_message_and_write_nothing()
    {
        var data = Path.GetDirectoryName(SharedData.PathOf("ctc-fluo-n2dh-sim-01", "01"))!;
        using var folder = new TemporaryFolder();
        var masks = folder.Sub("masks");
        File.Copy(Path.Combine(data, "01_GT", "TRA", "man_track000.tif"), Path.Combine(masks, "man_track000.tif"));
        File.Copy(Path.Combine(data, "01_GT", "TRA", "man_track001.tif"), Path.Combine(masks, "man_track001.tif"));
        var noRaw = folder.Sub("raw");
        File.Copy(Path.Combine(data, "01", "t000.tif"), Path.Combine(noRaw, "t000.tif"));
        File.WriteAllBytes(folder["bad.pth"], [1, 2, 3]);

        var missing = CliRunner.Run("gnn", "track", "--images", noRaw, "--masks", masks, "--model", folder["bad.pth"], "--out", folder["RES"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("error:", missing.Error);

        using (var small = new Volume<ushort>(1, 8, 8))
        {
            CtcSequence.WriteFrame(noRaw, "t", 1, 2, small);
        }

        var sizes = CliRunner.Run("gnn", "track", "--images", noRaw, "--masks", masks, "--model", folder["bad.pth"], "--out", folder["RES"]);
        Assert.Equal(2, sizes.ExitCode);
        Assert.False(Directory.Exists(folder["RES"]));

        var noData = CliRunner.Run("gnn", "train", "--data", folder.Path, "--sequences", "07", "--model", folder["x.pth"], "--epochs", "1");
        Assert.Equal(2, noData.ExitCode);
        Assert.Contains("07", noData.Error);
        Assert.False(File.Exists(folder["x.pth"]));
    }

    [Fact]
    public void Empty_frames_wide_labels_and_a_model_of_other_features_are_tracked_or_refused_by_name()
    {
        var data = Path.GetDirectoryName(SharedData.PathOf("ctc-fluo-n2dh-sim-01", "01"))!;
        using var folder = new TemporaryFolder();
        var train = CliRunner.Run("gnn", "train", "--data", data, "--sequences", "01", "--model", folder["gnn.pth"], "--epochs", "1", "--frames", "0-9", "--features", "handcrafted", "--seed", "1");
        Assert.True(train.ExitCode == 0, train.Error);

        // Frame 4 without cells; labels above 65535 (32-bit masks).
        var empty = folder.Sub("empty");
        var wide = folder.Sub("wide");
        var narrow = folder.Sub("narrow");
        foreach (var t in Enumerable.Range(0, 10))
        {
            using var frame = LabelFrame.Read(Path.Combine(data, "01_GT", "TRA", $"man_track{t:D3}.tif"));
            var source = (Volume<ushort>)frame.Volume;
            using var blank = new Volume<ushort>(source.Depth, source.Height, source.Width);
            CtcSequence.WriteFrame(empty, "man_track", t, 10, t == 4 ? blank : source);
            CtcSequence.WriteFrame(narrow, "man_track", t, 10, source);
            using var shifted = new Volume<uint>(source.Depth, source.Height, source.Width);
            for (var i = 0; i < source.Span.Length; i++)
            {
                shifted.Span[i] = source.Span[i] == 0 ? 0u : source.Span[i] + 70_000u;
            }

            CtcSequence.WriteFrame(wide, "man_track", t, 10, shifted);
        }

        var global = CliRunner.Run("gnn", "track", "--images", Path.Combine(data, "01"), "--masks", empty, "--model", folder["gnn.pth"], "--out", folder["RES_EMPTY"]);
        Assert.True(global.ExitCode == 0, global.Error);
        using (var painted = LabelFrame.Read(Path.Combine(folder["RES_EMPTY"], "mask004.tif")))
        {
            Assert.All(((Volume<ushort>)painted.Volume).Span.ToArray(), v => Assert.Equal(0, v));
        }

        var reference = CliRunner.Run("gnn", "track", "--images", Path.Combine(data, "01"), "--masks", empty, "--model", folder["gnn.pth"], "--out", folder["RES_REF"], "--decoder", "reference");
        Assert.Equal(2, reference.ExitCode);
        Assert.Contains("man_track004.tif", reference.Error);
        Assert.False(Directory.Exists(folder["RES_REF"]));

        var wideResult = CliRunner.Run("gnn", "track", "--images", Path.Combine(data, "01"), "--masks", wide, "--model", folder["gnn.pth"], "--out", folder["RES_WIDE"]);
        Assert.True(wideResult.ExitCode == 0, wideResult.Error);
        var sixteenBit = CliRunner.Run("gnn", "track", "--images", Path.Combine(data, "01"), "--masks", narrow, "--model", folder["gnn.pth"], "--out", folder["RES_NARROW"]);
        Assert.True(sixteenBit.ExitCode == 0, sixteenBit.Error);
        Assert.Equal(File.ReadAllText(Path.Combine(folder["RES_NARROW"], "res_track.txt")), File.ReadAllText(Path.Combine(folder["RES_WIDE"], "res_track.txt")));

        var geometry = CliRunner.Run("gnn", "track", "--images", Path.Combine(data, "01"), "--masks", wide, "--model", folder["gnn.pth"], "--out", folder["RES_GEO"], "--features", "geometry");
        Assert.Equal(2, geometry.ExitCode);
        Assert.Contains("gnn.pth", geometry.Error);
        Assert.False(Directory.Exists(folder["RES_GEO"]));
    }
}
