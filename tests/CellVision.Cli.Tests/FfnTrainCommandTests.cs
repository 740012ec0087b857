using CellVision.Core.Volumes;
using CellVision.IO.Tiff;
using CellVision.Segmentation;

namespace CellVision.Cli.Tests;

/// <summary><c>cellvision ffn train|import</c>: training from partition-balanced centres, resuming, and the reference's weights.</summary>
public sealed class FfnTrainCommandTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Training_writes_weights_and_a_step_count_and_resumes_from_them()
    {
        using (var raw = TiffFile.Open(SharedData.PathOf("fib25-medulla-ts2", "derived", "raw_zyx_uint8.tif")))
        using (var stack = raw.ReadStack<byte>())
        using (var crop = stack.Crop(Box.FromZyx(100, 90, 80, 36, 40, 44)))
        {
            TiffWriter.Write(folder["raw.tif"], crop);
        }

        using (var gt = TiffFile.Open(SharedData.PathOf("fib25-medulla-ts2", "derived", "gt_bodies_zyx_uint16.tif")))
        using (var stack = gt.ReadStack<ushort>())
        using (var crop = stack.Crop(Box.FromZyx(100, 90, 80, 36, 40, 44)))
        {
            TiffWriter.Write(folder["labels.tif"], crop);
        }

        Run("ffn", "partitions", "--labels", folder["labels.tif"], "--out", folder["p.zarr"], "--thresholds", "0.3,0.6", "--lom-radius", "6,6,6", "--min-size", "300");
        Run("ffn", "coordinates", "--partitions", folder["p.zarr"], "--out", folder["c.bin"], "--margin", "6,6,6", "--seed", "2");
        string[] train = ["ffn", "train", "--image", folder["raw.tif"], "--labels", folder["labels.tif"], "--coordinates", folder["c.bin"], "--model", folder["ffn.pth"],
            "--depth", "2", "--features", "4", "--fov", "9,9,9", "--deltas", "2,2,2", "--batch-size", "2", "--seed", "5"];

        var first = Run([.. train, "--steps", "3"]);
        Assert.Contains("trained to step 3", first);
        Assert.Equal("3", File.ReadAllText(folder["ffn.pth.step"]));
        var resumed = Run([.. train, "--steps", "5"]);
        Assert.Contains("trained to step 5", resumed);
        using var network = FloodFillNetwork.Load(folder["ffn.pth"]);
        Assert.Equal((2, 4, (9, 9, 9), (2, 2, 2)), (network.Options.Depth, network.Options.Features, network.FieldOfView, network.Deltas));

        // Segmenting with the trained weights writes what the library computes, as OME-Zarr labels and as TIFF.
        var segmented = Run("ffn", "segment", "--image", folder["raw.tif"], "--model", folder["ffn.pth"], "--out", folder["seg.ome.zarr"], "--min-segment-size", "10");
        Assert.Contains("written to", segmented);
        Run("ffn", "segment", "--image", folder["raw.tif"], "--model", folder["ffn.pth"], "--out", folder["seg.tif"], "--min-segment-size", "10");
        using (var rawTiff = TiffFile.Open(folder["raw.tif"]))
        using (var raw = rawTiff.ReadStack<byte>())
        using (var expected = FloodFillSegmenter.Segment(raw, network, new FloodFillInferenceOptions { MinimumSegmentSize = 10 }))
        using (var labelsTiff = TiffFile.Open(folder["seg.tif"]))
        using (var written = labelsTiff.ReadStack<uint>())
        {
            Assert.Equal(expected.Segmentation.Span.ToArray(), written.Span.ToArray());
            var ome = CellVision.IO.OmeZarr.OmeZarrImage.Open(folder["seg.ome.zarr"]).OpenLabels("ffn");
            Assert.Equal(expected.Segmentation.Span.ToArray(), ome.Levels[0].Array.Read<uint>(ome.Levels[0].Array.Bounds));
        }

        // Subvolume by subvolume into a Zarr array; a second run resumes into it.
        using (var rawTiff = TiffFile.Open(folder["raw.tif"]))
        using (var raw = rawTiff.ReadStack<byte>())
        {
            var zarr = CellVision.IO.Zarr.ZarrArray.Create<byte>(folder["raw.zarr"], [36, 40, 44], [16, 16, 16]);
            zarr.Write(raw);
        }

        Assert.Contains("subvolumes", Run("ffn", "segment", "--image", folder["raw.zarr"], "--model", folder["ffn.pth"], "--out", folder["sub.zarr"], "--subvolume", "24,24,24", "--overlap", "10,10,10", "--min-segment-size", "10"));
        Assert.Contains("resuming", Run("ffn", "segment", "--image", folder["raw.zarr"], "--model", folder["ffn.pth"], "--out", folder["sub.zarr"], "--subvolume", "24,24,24", "--overlap", "10,10,10", "--min-segment-size", "10"));
        var (code, _, error) = CliRunner.Run("ffn", "segment", "--image", folder["raw.tif"], "--model", folder["ffn.pth"], "--out", folder["sub2.zarr"], "--subvolume", "24,24,24", "--overlap", "10,10,10");
        Assert.Equal(2, code);
        Assert.Contains("not one", error);

        (code, _, error) = CliRunner.Run("ffn", "train", "--image", $"{folder["raw.tif"]},{folder["raw.tif"]}", "--labels", folder["labels.tif"], "--coordinates", folder["c.bin"], "--model", folder["other.pth"]);
        Assert.Equal(2, code);
        Assert.Contains("one label volume per image", error);
        Assert.False(File.Exists(folder["other.pth"]));
    }

    [Fact]
    public void The_reference_layout_is_imported_and_an_unknown_layout_refused()
    {
        PythonReference.RunInline(
            "import numpy as np, sys\n" +
            "r = np.random.default_rng(1)\n" +
            "v = {}\n" +
            "for name, i, o in (('conv0_a', 2, 5), ('conv0_b', 5, 5), ('conv1_a', 5, 5), ('conv1_b', 5, 5)):\n" +
            "    v[f'seed_update/{name}/weights'] = r.normal(size=(3, 3, 3, i, o)).astype(np.float32)\n" +
            "    v[f'seed_update/{name}/biases'] = r.normal(size=(o,)).astype(np.float32)\n" +
            "v['seed_update/conv_lom/weights'] = r.normal(size=(1, 1, 1, 5, 1)).astype(np.float32)\n" +
            "v['seed_update/conv_lom/biases'] = r.normal(size=(1,)).astype(np.float32)\n" +
            "np.savez(sys.argv[1], **v)\n" +
            "np.savez(sys.argv[2], other=np.zeros(3))\n",
            folder["tf.npz"], folder["bad.npz"]);

        var output = Run("ffn", "import", "--npz", folder["tf.npz"], "--out", folder["imported.pth"], "--fov", "17,17,17", "--deltas", "4,4,4");

        Assert.Contains("2 modules, 5 features", output);
        using var network = FloodFillNetwork.Load(folder["imported.pth"]);
        Assert.Equal((17, 17, 17), network.FieldOfView);
        var (code, _, error) = CliRunner.Run("ffn", "import", "--npz", folder["bad.npz"], "--out", folder["bad.pth"]);
        Assert.Equal(2, code);
        Assert.Contains("seed_update/conv0_a/weights", error);
        Assert.False(File.Exists(folder["bad.pth"]));
    }

    private static string Run(params string[] arguments)
    {
        var (code, output, error) = CliRunner.Run(arguments);
        Assert.True(code == 0, $"{string.Join(' ', arguments)}: {error}");
        return output;
    }
}
