using System.Diagnostics;
using CellVision.Core.Volumes;
using CellVision.IO.Zarr.Codecs;
using CellVision.IO.Zarr.V3;

namespace CellVision.Benchmarks;

/// <summary>
/// <c>shard-region</c>: small regions read from one large Zarr v3 shard (64×512×512 uint16, 32 MiB, inner chunks
/// 16×64×64, blosc-lz4) against reading the whole shard, which is what every region read cost before inner chunks were
/// read on their own.
/// </summary>
internal static class ShardRegion
{
    internal static int Run()
    {
        var path = Path.Combine(Path.GetTempPath(), "cellvision_shard_region.zarr");
        long[] shape = [64, 512, 512];
        var values = new ushort[64 * 512 * 512];
        var random = new Random(1);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (ushort)(3000 + random.Next(500) + ((i / 512 % 512) * 20));
        }

        var array = ZarrV3Array.Create<ushort>(path, shape, shape, new BloscCompressor("lz4", 5, BloscShuffle.Byte), innerChunks: [16, 64, 64], overwrite: true);
        array.Write(array.Bounds, values.AsSpan());
        var reopened = ZarrV3Array.Open(path);
        _ = reopened.Read<ushort>(reopened.Bounds);

        var whole = double.MaxValue;
        for (var r = 0; r < 5; r++)
        {
            var clock = Stopwatch.StartNew();
            _ = reopened.Read<ushort>(reopened.Bounds);
            whole = Math.Min(whole, clock.Elapsed.TotalSeconds);
        }

        var positions = Enumerable.Range(0, 200).Select(_ => (Z: random.Next(64 - 16), Y: random.Next(512 - 64), X: random.Next(512 - 64))).ToList();
        var regionClock = Stopwatch.StartNew();
        long checksum = 0;
        foreach (var (z, y, x) in positions)
        {
            var region = reopened.Read<ushort>(Box.FromZyx(z, y, x, 16, 64, 64));
            checksum += region[0];
            var expected = values[(((z * 512) + y) * 512) + x];
            if (region[0] != expected)
            {
                throw new InvalidOperationException($"Region at ({z}, {y}, {x}) starts with {region[0]}, expected {expected}.");
            }
        }

        var perRegion = regionClock.Elapsed.TotalSeconds / positions.Count;
        Directory.Delete(path, recursive: true);
        Console.WriteLine(FormattableString.Invariant($"shard-region: whole 32 MiB shard {whole * 1e3:F2} ms; 16x64x64 region {perRegion * 1e3:F3} ms ({whole / perRegion:F0}x less); checksum {checksum}"));
        return 0;
    }
}
