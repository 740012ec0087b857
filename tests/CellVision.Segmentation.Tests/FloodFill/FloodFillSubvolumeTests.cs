using System.Text.Json.Nodes;
using CellVision.Core.Volumes;
using CellVision.IO.Zarr;

namespace CellVision.Segmentation.Tests.FloodFill;

/// <summary>
/// Segmentation in overlapping subvolumes equals the transcription's subvolume rule (Golden/ffn_canvas_golden.py,
/// segment_in_subvolumes) on a 72×96×96 FIB-25 crop in nine subvolumes, streamed through Zarr arrays.
/// </summary>
[Collection(FloodFillGoldenFixture.Collection)]
public sealed class FloodFillSubvolumeTests(FloodFillGoldenFixture golden)
{
    [Fact]
    public void SubvolumesMatchTheTranscriptionThroughZarr()
    {
        var reference = JsonNode.Parse(File.ReadAllText(Path.Combine(golden.Folder, "subvolumes.json")))!;
        var shape = reference["shape"]!.AsArray().Select(v => v!.GetValue<long>()).ToArray();
        var size = reference["size"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
        var overlap = reference["overlap"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
        using var folder = new TemporaryFolder();
        var image = ZarrArray.Create<byte>(Path.Combine(folder.Path, "raw.zarr"), shape, [32, 40, 40]);
        image.WriteBytes(image.Bounds, File.ReadAllBytes(Path.Combine(golden.Folder, "subvolumes.raw")));
        var labels = ZarrArray.Create<uint>(Path.Combine(folder.Path, "labels.zarr"), shape, [36, 48, 48]);
        var reports = new List<FloodFillSubvolumeProgress>();

        var summary = FloodFillSegmenter.SegmentInSubvolumes<byte>(
            image,
            labels,
            FloodFillGoldenFixture.Network(reference["network"]!),
            new FloodFillSubvolumeOptions { Size = (size[0], size[1], size[2]), Overlap = (overlap[0], overlap[1], overlap[2]) },
            FloodFillGoldenFixture.Options(reference["options"]!),
            progress: new SynchronousProgress<FloodFillSubvolumeProgress>(reports));

        var expectedLabels = File.ReadAllBytes(Path.Combine(golden.Folder, "subvolumes.labels"));
        var actualLabels = new byte[expectedLabels.Length];
        labels.ReadBytes(labels.Bounds, actualLabels);
        Assert.Equal(expectedLabels, actualLabels);

        var subvolumes = reference["subvolumes"]!.AsArray();
        Assert.Equal(subvolumes.Count, summary.SubvolumeCount);
        var expected = subvolumes.SelectMany(s => s!["attempts"]!.AsArray()).ToList();
        Assert.Equal(expected.Count, summary.Attempts.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var attempt = summary.Attempts[i];
            Assert.Equal(FloodFillCanvasGoldenTests.Position(expected[i]!["seed"]!), attempt.Seed);
            Assert.Equal(FloodFillCanvasGoldenTests.Outcome(expected[i]!["outcome"]!.GetValue<string>()), attempt.Outcome);
            Assert.Equal(expected[i]!["steps"]!.AsArray().Count, attempt.Steps);
        }

        var accepted = expected.Where(a => a!["outcome"]!.GetValue<string>() == "accepted").ToList();
        Assert.Equal(accepted.Select(a => a!["id"]!.GetValue<uint>()), summary.Segments.Select(s => s.Id));
        Assert.Equal(accepted.Select(a => FloodFillCanvasGoldenTests.Position(a!["seed"]!)), summary.Segments.Select(s => s.Seed));
        Assert.Equal(
            accepted.Select(a => string.Join(";", a!["overlaps"]!.AsArray().Select(o => $"{o![0]}:{o[1]}"))),
            summary.Segments.Select(s => string.Join(";", s.Overlaps.Select(o => $"{o.Id}:{o.Voxels}"))));
        Assert.Contains(summary.Segments, s => s.Overlaps.Count > 0);
        Assert.Equal(summary.Attempts.Count, reports.Count);
        Assert.Equal(Enumerable.Range(0, subvolumes.Count), reports.Select(r => r.Subvolume).Distinct());
        Assert.All(reports, r => Assert.Equal(subvolumes.Count, r.SubvolumeCount));
    }

    [Fact]
    public void TilesOverlapAndEndAtTheVolumesEnd()
    {
        var boxes = FloodFillSegmenter.Tile((72, 96, 50), new FloodFillSubvolumeOptions { Size = (72, 60, 60), Overlap = (32, 32, 32) });
        Assert.Equal(
            [Box.FromZyx(0, 0, 0, 72, 60, 50), Box.FromZyx(0, 28, 0, 72, 60, 50), Box.FromZyx(0, 36, 0, 72, 60, 50)],
            boxes);
        Assert.Single(FloodFillSegmenter.Tile((10, 10, 10), new FloodFillSubvolumeOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FloodFillSubvolumeOptions { Size = (10, 10, 10), Overlap = (10, 1, 1) }.Validate());
    }

    [Fact]
    public void ExistingObjectsAreKeptAndNewIdsContinueAboveThem()
    {
        using var folder = new TemporaryFolder();
        long[] shape = [64, 64, 64];
        var image = ZarrArray.Create<byte>(Path.Combine(folder.Path, "raw.zarr"), shape, [64, 64, 64]);
        var raw = new byte[64 * 64 * 64];
        for (var i = 0; i < raw.Length; i++)
        {
            var (z, y, x) = (i / 4096, i / 64 % 64, i % 64);
            raw[i] = (byte)(((z - 32) * (z - 32)) + ((y - 30) * (y - 30)) + ((x - 34) * (x - 34)) < 400 ? 180 + ((x * 7 + y * 3 + z) % 11) : 60);
        }

        image.WriteBytes(image.Bounds, raw);
        var labels = ZarrArray.Create<uint>(Path.Combine(folder.Path, "labels.zarr"), shape, [64, 64, 64]);
        var existing = new uint[raw.Length];
        existing[(32 * 4096) + (30 * 64) + 44] = 41;
        labels.Write(labels.Bounds, (ReadOnlySpan<uint>)existing);
        var summary = FloodFillSegmenter.SegmentInSubvolumes<byte>(image, labels, new StandInNetwork((33, 33, 33), (8, 8, 8), -0.15f, 6f, 5f, 0.001f), options: new FloodFillInferenceOptions { MinimumSegmentSize = 100 });

        var written = new uint[raw.Length];
        labels.Read(labels.Bounds, written.AsSpan());
        Assert.Equal(41u, written[(32 * 4096) + (30 * 64) + 44]);
        Assert.True(summary.Segments.Count > 0, string.Join(", ", summary.Attempts.Select(a => $"{a.Seed}:{a.Outcome}:{a.Steps}")));
        Assert.All(summary.Segments, s => Assert.True(s.Id > 41));
        Assert.Contains(summary.Segments, s => s.Overlaps.Contains((41u, 1L)));
    }
}
