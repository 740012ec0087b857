using System.Diagnostics;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.IO.Bdv;
using CellVision.Networks;
using CellVision.Torch;

namespace CellVision.Benchmarks;

/// <summary>
/// End-to-end time to detect one frame of a BigDataViewer data set: read the timepoint, normalise, predict with
/// ELEPHANT's default patching (the detection U-Net, randomly initialised, weights do not change the work), and turn
/// the centre probabilities into ellipsoids. Prints the median of several rounds after one warm-up.
/// </summary>
internal static class DetectFrame
{
    internal static int Run(string xml, int timepoint, int threads, int rounds)
    {
        TorchRuntime.ThreadCount = threads;
        using var model = new DetectionUNet();
        using var image = BdvImage.Open(xml);
        var sample = Load(image, timepoint);
        var anisotropy = sample.VoxelSize.Z / sample.VoxelSize.X;
        var predictor = new DetectionPredictor(model, KeepAxials.FromLevels(KeepAxials.LevelsFromAnisotropy(anisotropy)));
        var options = new PredictionOptions();
        sample.Dispose();

        Once(image, timepoint, predictor, options);
        var samples = new double[rounds];
        var spots = 0;
        for (var i = 0; i < rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            spots = Once(image, timepoint, predictor, options);
            samples[i] = clock.Elapsed.TotalSeconds;
        }

        Array.Sort(samples);
        var shape = image.Shape(timepoint, 0);
        Console.WriteLine(FormattableString.Invariant($"cellvision_detect_frame shape={string.Join(',', shape)} anisotropy={anisotropy:F2} threads={TorchRuntime.ThreadCount} seconds={samples[rounds / 2]:F3} spots={spots}"));
        return 0;
    }

    private static int Once(BdvImage image, int timepoint, DetectionPredictor predictor, PredictionOptions options)
    {
        using var frame = Load(image, timepoint);
        return predictor.Detect(frame, options).Count;
    }

    private static Volume<float> Load(BdvImage image, int timepoint)
    {
        using var raw = image.ReadVolume(timepoint, 0);
        var frame = new Volume<float>(raw.Depth, raw.Height, raw.Width, raw.VoxelSize);
        for (var i = 0; i < raw.Length; i++)
        {
            frame.Span[i] = raw.Span[i];
        }

        return frame;
    }
}
