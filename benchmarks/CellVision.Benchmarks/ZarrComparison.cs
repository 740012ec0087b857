using System.Diagnostics;
using CellVision.Core.Volumes;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.Benchmarks;

/// <summary>
/// The CellVision half of benchmarks/compare/zarr.sh: the same 128×512×512 uint16 volume, chunks and compressors as
/// ../shared/refbench/zarr_ref.py, written and read whole; plus a memcpy of the same bytes as the physical limit.
/// </summary>
internal static class ZarrComparison
{
    private static readonly long[] Shape = [128, 512, 512];
    private static readonly long[] Chunks = [32, 128, 128];

    internal static int Run(int repeats)
    {
        var volume = SyntheticVolume();
        var megabytes = volume.Length * 2 / 1e6;
        var compressors = new (string Name, ZarrCompressor? Compressor)[]
        {
            ("raw", null),
            ("zlib1", new ZlibCompressor(1)),
            ("blosc-lz4", new BloscCompressor("lz4", 5, BloscShuffle.Byte)),
            ("blosc-zstd", new BloscCompressor("zstd", 3, BloscShuffle.Byte)),
        };
        WarmUp(compressors.Select(c => c.Compressor));
        foreach (var (name, compressor) in compressors)
        {
            var path = Path.Combine(Path.GetTempPath(), $"cellvision_zbench_{name}.zarr");
            var write = double.MaxValue;
            var read = double.MaxValue;
            var readReused = double.MaxValue;
            var reused = new ushort[volume.Length];
            for (var r = 0; r < repeats; r++)
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                var clock = Stopwatch.StartNew();
                var array = ZarrArray.Create<ushort>(path, Shape, Chunks, compressor);
                array.Write(array.Bounds, volume.AsSpan());
                write = Math.Min(write, clock.Elapsed.TotalSeconds);

                clock.Restart();
                var back = ZarrArray.Open(path).Read<ushort>(Box.FromShape(Shape));
                read = Math.Min(read, clock.Elapsed.TotalSeconds);
                if (!back.AsSpan().SequenceEqual(volume))
                {
                    throw new InvalidOperationException($"{name}: the volume read back differs from the one written.");
                }

                // The pooled-buffer path (ReadVolume, pipelines reading frame after frame): the destination's pages are
                // already mapped, unlike a fresh 67 MB array whose first touch costs a page fault per 4 KiB.
                clock.Restart();
                ZarrArray.Open(path).Read<ushort>(Box.FromShape(Shape), reused);
                readReused = Math.Min(readReused, clock.Elapsed.TotalSeconds);
            }

            Directory.Delete(path, recursive: true);
            Console.WriteLine(FormattableString.Invariant($"cellvision {name}: write {megabytes / write:F0} MB/s read {megabytes / read:F0} MB/s read_reused {megabytes / readReused:F0} MB/s"));
        }

        var copy = new ushort[volume.Length];
        var best = double.MaxValue;
        for (var r = 0; r < 5; r++)
        {
            var clock = Stopwatch.StartNew();
            volume.AsSpan().CopyTo(copy);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        Console.WriteLine(FormattableString.Invariant($"memcpy: {megabytes / best:F0} MB/s"));
        return 0;
    }

    /// <summary>Runs every code path once on a small array so that JIT compilation is not timed.</summary>
    private static void WarmUp(IEnumerable<ZarrCompressor?> compressors)
    {
        var path = Path.Combine(Path.GetTempPath(), "cellvision_zbench_warmup.zarr");
        var data = new ushort[8 * 64 * 64];
        foreach (var compressor in compressors)
        {
            var array = ZarrArray.Create<ushort>(path, [8, 64, 64], [4, 32, 32], compressor, overwrite: true);
            array.Write(array.Bounds, data.AsSpan());
            _ = ZarrArray.Open(path).Read<ushort>(array.Bounds);
        }

        Directory.Delete(path, recursive: true);
    }

    private static ushort[] SyntheticVolume()
    {
        var (depth, height, width) = ((int)Shape[0], (int)Shape[1], (int)Shape[2]);
        var volume = new ushort[depth * height * width];
        Parallel.For(0, depth, z =>
        {
            var local = new Random(z);
            var dz = ((double)z / (depth - 1)) - 0.5;
            for (var y = 0; y < height; y++)
            {
                var dy = ((double)y / (height - 1)) - 0.5;
                for (var x = 0; x < width; x++)
                {
                    var dx = ((double)x / (width - 1)) - 0.5;
                    var noise = Math.Sqrt(-2 * Math.Log(1 - local.NextDouble())) * Math.Cos(2 * Math.PI * local.NextDouble());
                    var value = (20000 * Math.Exp(-((dx * dx) + (dy * dy) + (dz * dz)) * 8)) + 3000 + (500 * noise);
                    volume[(((z * height) + y) * width) + x] = (ushort)Math.Clamp(value, 0, 65535);
                }
            }
        });
        return volume;
    }
}
