using System.Diagnostics;
using CellVision.Core.Volumes;
using CellVision.IO.Bdv;

namespace CellVision.Benchmarks;

/// <summary>
/// The CellVision half of benchmarks/compare/bdv.sh: region reads (8×64×64 at 200 positions) and whole-view reads
/// from the real ELEPHANT sample (scale-offset + deflate chunks), the same positions as benchmarks/compare/bdv_ref.py.
/// </summary>
internal static class BdvComparison
{
    internal static int Run(string xml)
    {
        using var image = BdvImage.Open(xml);
        var positions = Positions();
        foreach (var (t, y, x) in positions.Take(10))
        {
            using var warm = image.ReadVolume(t, 0, region: Box.FromZyx(0, y, x, 8, 64, 64));
        }

        var clock = Stopwatch.StartNew();
        long checksum = 0;
        foreach (var (t, y, x) in positions)
        {
            using var region = image.ReadVolume(t, 0, region: Box.FromZyx(0, y, x, 8, 64, 64));
            checksum += region[4, 32, 32];
        }

        var regionSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (var t = 0; t < 5; t++)
        {
            using var view = image.ReadVolume(t, 0);
            checksum += view[4, 128, 128];
        }

        var wholeSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant($"cellvision bdv: regions_per_s {positions.Count / regionSeconds:F0} views_per_s {5 / wholeSeconds:F1} checksum {checksum}"));
        return 0;
    }

    /// <summary>200 (t, y, x) positions from the same linear congruential sequence as bdv_ref.py.</summary>
    private static List<(int T, int Y, int X)> Positions()
    {
        var result = new List<(int, int, int)>();
        long state = 12345;
        for (var i = 0; i < 200; i++)
        {
            state = ((state * 1103515245) + 12345) % 2147483648;
            var t = (int)(state % 5);
            state = ((state * 1103515245) + 12345) % 2147483648;
            var y = (int)(state % 193);
            state = ((state * 1103515245) + 12345) % 2147483648;
            var x = (int)(state % 193);
            result.Add((t, y, x));
        }

        return result;
    }
}
