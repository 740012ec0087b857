using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using CellVision.Core.Volumes;
using CellVision.Evaluation;
using CellVision.IO.Hdf5;
using CellVision.IO.Tiff;
using CellVision.Segmentation;
using CellVision.Torch;

namespace CellVision.Benchmarks;

/// <summary>
/// <c>ffn-fib25</c>: a flood-filling network (trained with <c>cellvision ffn train</c> on planes 0–149 of FIB-25 medulla
/// training_sample2) segments planes 150–249; the block is scored against the ground-truth bodies (VOI split and merge
/// in bits, adapted Rand error), beside two anchors on the same block: google/ffn's published segmentation and the
/// watershed supervoxels shipped with the data.
/// </summary>
internal static class FfnFib25
{
    internal static int Run(string folder, string model, int firstPlane, (int Y, int X, int Height, int Width)? area, FloodFillInferenceOptions options, string? output, int threads)
    {
        TorchRuntime.ThreadCount = threads;
        using var rawTiff = TiffFile.Open(Path.Combine(folder, "derived", "raw_zyx_uint8.tif"));
        using var raw = rawTiff.ReadStack<byte>();
        using var truthTiff = TiffFile.Open(Path.Combine(folder, "derived", "gt_bodies_zyx_uint16.tif"));
        using var truth = truthTiff.ReadStack<ushort>();
        var depth = raw.Depth - firstPlane;
        var (y0, x0, height, width) = area ?? (0, 0, raw.Height, raw.Width);
        var block = Box.FromZyx(firstPlane, y0, x0, depth, height, width);
        using var image = raw.Crop(block);
        using var groundTruth = truth.Crop(block);
        using var network = FloodFillNetwork.Load(model);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"libtorch threads {TorchRuntime.ThreadCount}; model {model}: {network.Options.Depth} modules, {network.Options.Features} features, field of view {network.FieldOfView}, deltas {network.Deltas}; block z {firstPlane}-{raw.Depth - 1}, y {y0}-{y0 + height - 1}, x {x0}-{x0 + width - 1} ({depth}×{height}×{width})"));

        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var progress = new Progress(p =>
        {
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(30))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seeds {p.SeedsTried}/{p.SeedCount}, {p.SegmentCount} objects, {p.Steps} steps, {clock.Elapsed.TotalSeconds:F0} s"));
            }
        });
        using var result = FloodFillSegmenter.Segment(image, network, options, progress: progress);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"segmented: {result.Segments.Count} objects from {result.Attempts.Count} seeds, {result.Steps} steps in {seconds:F0} s ({result.Steps / seconds:F2} steps/s, {image.Length / seconds:F0} voxels/s)"));
        if (output is not null)
        {
            TiffWriter.Write(output, result.Segmentation, new TiffWriteOptions { Compression = TiffCompression.Deflate });
        }

        Report("cellvision_ffn", groundTruth, result.Segmentation);
        using (var reference = ReadUInt32(Path.Combine(folder, "ffn-reference-result", "ffn_seg_zyx_uint32.tif")))
        using (var referenceBlock = reference.Crop(block))
        {
            Report("google_ffn_published", groundTruth, referenceBlock);
        }

        using (var supervoxels = ReadSupervoxels(Path.Combine(folder, "oversegmented_stack_labels.h5.gz")))
        using (var supervoxelBlock = supervoxels.Crop(block))
        {
            Report("supervoxels", groundTruth, supervoxelBlock);
        }

        return 0;
    }

    private static void Report<T>(string name, Volume<ushort> truth, Volume<T> segmentation)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        var scores = SegmentationEvaluator.Evaluate(truth, segmentation);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: VOI_split={scores.VoiSplit:F4} VOI_merge={scores.VoiMerge:F4} VOI_sum={scores.VoiSum:F4} ARAND={scores.AdaptedRandError:F4} labels={scores.SegmentationLabels}"));
    }

    private static Volume<uint> ReadUInt32(string path)
    {
        using var tiff = TiffFile.Open(path);
        return tiff.ReadStack<uint>();
    }

    /// <summary>The watershed supervoxels (dataset <c>stack</c>, before their body transforms), as the spec's anchor scores them.</summary>
    private static Volume<long> ReadSupervoxels(string gzipPath)
    {
        var temporary = Path.Combine(Path.GetTempPath(), $"cellvision-supervoxels-{Guid.NewGuid():N}.h5");
        try
        {
            using (var source = File.OpenRead(gzipPath))
            using (var gzip = new GZipStream(source, CompressionMode.Decompress))
            using (var target = File.Create(temporary))
            {
                gzip.CopyTo(target);
            }

            using var hdf5 = Hdf5File.Open(temporary);
            var shape = hdf5.GetShape("stack");
            var volume = new Volume<long>((int)shape[0], (int)shape[1], (int)shape[2]);
            hdf5.Read("stack", Box.FromShape([shape[0], shape[1], shape[2]]), volume.Span);
            return volume;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private sealed class Progress(Action<FloodFillProgress> report) : IProgress<FloodFillProgress>
    {
        public void Report(FloodFillProgress value) => report(value);
    }
}
