using System.Diagnostics;
using CellVision.Detection;
using CellVision.IO.Bdv;
using CellVision.Torch;

namespace CellVision.Benchmarks;

/// <summary>
/// End-to-end time to detect one frame of a BigDataViewer data set as users detect it, through
/// <see cref="NucleusDetector.DetectFrame"/>: read the timepoint, normalise, predict with ELEPHANT's default patching
/// (the detection U-Net, randomly initialised, weights do not change the work), and turn the centre probabilities into
/// ellipsoids. Prints the median of several rounds after one warm-up.
/// </summary>
internal static class DetectFrame
{
    internal static int Run(string xml, int timepoint, int threads, int rounds)
    {
        TorchRuntime.ThreadCount = threads;
        // ELEPHANT's default options and no seed: the network keeps libtorch's unseeded random initialisation.
        using var detector = new NucleusDetector();
        using var image = BdvImage.Open(xml);
        double anisotropy;
        using (var sample = image.ReadVolume(timepoint, 0))
        {
            anisotropy = sample.VoxelSize.Z / sample.VoxelSize.X;
        }

        Once(image, timepoint, detector);
        var samples = new double[rounds];
        var spots = 0;
        for (var i = 0; i < rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            spots = Once(image, timepoint, detector);
            samples[i] = clock.Elapsed.TotalSeconds;
        }

        Array.Sort(samples);
        var shape = image.Shape(timepoint, 0);
        Console.WriteLine(FormattableString.Invariant($"cellvision_detect_frame shape={string.Join(',', shape)} anisotropy={anisotropy:F2} threads={TorchRuntime.ThreadCount} seconds={samples[rounds / 2]:F3} spots={spots}"));
        return 0;
    }

    private static int Once(BdvImage image, int timepoint, NucleusDetector detector)
    {
        using var frame = image.ReadVolume(timepoint, 0);
        return detector.DetectFrame(frame).Count;
    }
}
