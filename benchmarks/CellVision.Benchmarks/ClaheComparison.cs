using System.Diagnostics;
using CellVision.Core.Volumes;
using CellVision.Segmentation;

namespace CellVision.Benchmarks;

/// <summary>
/// The CellVision half of benchmarks/compare/clahe.sh: 3-D CLAHE (clip limit 0.02, default kernel) of a uint16 volume
/// built like ../shared/refbench/clahe_ref.py's (a Gaussian blob plus noise), timed once after a small warm-up.
/// </summary>
internal static class ClaheComparison
{
    /// <param name="toUInt16">Time <see cref="Clahe.EqualizeToUInt16"/> (the CLI's output) instead of <see cref="Clahe.Equalize(Volume{ushort}, ClaheOptions?, CancellationToken)"/>.</param>
    internal static int Run(int[] shape, bool toUInt16)
    {
        using (var warm = Synthetic(8, 32, 32))
        using (Clahe.Equalize(warm, new ClaheOptions { ClipLimit = 0.02 }))
        {
        }

        using var volume = Synthetic(shape[0], shape[1], shape[2]);
        GC.Collect();
        if (toUInt16)
        {
            var before16 = Process.GetCurrentProcess().WorkingSet64;
            var clock16 = Stopwatch.StartNew();
            using (Clahe.EqualizeToUInt16(volume, new ClaheOptions { ClipLimit = 0.02 }))
            {
            }

            Console.WriteLine(FormattableString.Invariant($"cellvision_clahe_uint16 shape=({shape[0]}, {shape[1]}, {shape[2]}) seconds={clock16.Elapsed.TotalSeconds:F3} growth_mb={(Process.GetCurrentProcess().PeakWorkingSet64 - before16) / 1e6:F0} input_mb={volume.Length * 2 / 1e6:F0}"));
            return 0;
        }

        var before = Process.GetCurrentProcess().PeakWorkingSet64;
        var clock = Stopwatch.StartNew();
        var result = Clahe.Equalize(volume, new ClaheOptions { ClipLimit = 0.02 });
        var seconds = clock.Elapsed.TotalSeconds;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        result.Dispose();

        // A second call in the same process reuses pooled buffers whose pages are already mapped (a pipeline's steady state).
        clock.Restart();
        using (Clahe.Equalize(volume, new ClaheOptions { ClipLimit = 0.02 }))
        {
        }

        var warmSeconds = clock.Elapsed.TotalSeconds;
        var voxels = (double)volume.Length;
        Console.WriteLine(FormattableString.Invariant($"cellvision_clahe shape=({shape[0]}, {shape[1]}, {shape[2]}) seconds={seconds:F3} mvox_per_s={voxels / seconds / 1e6:F2} warm_seconds={warmSeconds:F3} peak_working_set_mb={peak / 1e6:F0} input_mb={voxels * 2 / 1e6:F0} before_mb={before / 1e6:F0}"));
        return 0;
    }

    private static Volume<ushort> Synthetic(int depth, int height, int width)
    {
        var volume = new Volume<ushort>(depth, height, width);
        Parallel.For(0, depth, z =>
        {
            var random = new Random(z);
            var dz = (depth > 1 ? (double)z / (depth - 1) : 0) - 0.5;
            for (var y = 0; y < height; y++)
            {
                var dy = ((double)y / (height - 1)) - 0.5;
                var row = volume.Row(z, y);
                for (var x = 0; x < width; x++)
                {
                    var dx = ((double)x / (width - 1)) - 0.5;
                    var noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                    row[x] = (ushort)Math.Clamp((20000 * Math.Exp(-((dx * dx) + (dy * dy) + (dz * dz)) * 8)) + 3000 + (500 * noise), 0, 65535);
                }
            }
        });
        return volume;
    }
}
