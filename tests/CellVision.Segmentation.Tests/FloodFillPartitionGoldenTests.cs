using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using CellVision.Core.Volumes;

namespace CellVision.Segmentation.Tests;

/// <summary>
/// Partitions equal, voxel for voxel, those of a NumPy transcription of google/ffn's compute_partitions.py
/// (Golden/ffn_partitions_golden.py) on synthetic labels of several types and on FIB-25 ground-truth crops; the
/// coordinates drawn from them count every partition as build_coordinates.py does.
/// </summary>
public sealed class FloodFillPartitionGoldenTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-ffn-partitions-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Every_case_matches_the_reference_voxel_for_voxel()
    {
        PythonReference.Run("Golden/ffn_partitions_golden.py", folder, Path.GetDirectoryName(SharedData.PathOf("fib25-medulla-ts2"))!);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!.AsArray();
        var failures = new List<string>();
        foreach (var entry in manifest)
        {
            var name = entry!["name"]!.GetValue<string>();
            var shape = Ints(entry["shape"]!);
            var radius = Ints(entry["radius"]!);
            var options = new FloodFillPartitionOptions
            {
                Thresholds = entry["thresholds"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray(),
                LomRadius = (radius[0], radius[1], radius[2]),
                MinimumSize = entry["min_size"]!.GetValue<int>(),
            };
            using var mask = entry["mask"]!.GetValue<bool>() ? Mask(Path.Combine(folder, name + ".mask"), shape) : null;
            var labels = File.ReadAllBytes(Path.Combine(folder, name + ".labels"));
            using var map = entry["dtype"]!.GetValue<string>() switch
            {
                "uint8" => Compute<byte>(labels, shape, options, mask),
                "uint16" => Compute<ushort>(labels, shape, options, mask),
                "uint32" => Compute<uint>(labels, shape, options, mask),
                _ => Compute<int>(labels, shape, options, mask),
            };
            var expected = File.ReadAllBytes(Path.Combine(folder, name + ".out"));
            var differing = Enumerable.Range(0, expected.Length).Count(i => map.Volume.Span[i] != expected[i]);
            if (differing > 0)
            {
                failures.Add($"{name}: {differing} of {expected.Length} voxels differ");
            }

            var counts = entry["counts"]!.AsObject().ToDictionary(p => int.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture), p => p.Value!.GetValue<long>());
            var actualCounts = map.Counts.Select((c, v) => (v, c)).Where(p => p.c > 0).ToDictionary(p => p.v, p => p.c);
            if (map.ExcludedCount > 0)
            {
                actualCounts[255] = map.ExcludedCount;
            }

            if (!actualCounts.OrderBy(p => p.Key).SequenceEqual(counts.OrderBy(p => p.Key)))
            {
                failures.Add($"{name}: partition counts differ");
            }

            var margin = Ints(entry["margin"]!);
            var sampled = entry["sampled_counts"]!.AsObject().ToDictionary(p => byte.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture), p => p.Value!.GetValue<long>());
            var coordinates = FloodFillCoordinates.Build([map.Volume], options: new FloodFillCoordinateOptions { Margin = (margin[0], margin[1], margin[2]), Seed = 1 });
            if (!coordinates.PartitionCounts.OrderBy(p => p.Key).SequenceEqual(sampled.OrderBy(p => p.Key)))
            {
                failures.Add($"{name}: sampled partition counts differ");
            }

            Assert.Equal(sampled.Count * sampled.Values.Max(), coordinates.Coordinates.Count);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(6, manifest.Count);
    }

    private static FloodFillPartitionMap Compute<T>(byte[] bytes, int[] shape, FloodFillPartitionOptions options, Volume<bool>? mask)
        where T : unmanaged, IBinaryInteger<T>
    {
        using var labels = new Volume<T>(shape[0], shape[1], shape[2]);
        MemoryMarshal.Cast<byte, T>(bytes).CopyTo(labels.Span);
        return FloodFillPartitions.Compute(labels, options, mask);
    }

    private static Volume<bool> Mask(string path, int[] shape)
    {
        var mask = new Volume<bool>(shape[0], shape[1], shape[2]);
        var bytes = File.ReadAllBytes(path);
        for (var i = 0; i < bytes.Length; i++)
        {
            mask.Span[i] = bytes[i] != 0;
        }

        return mask;
    }

    private static int[] Ints(JsonNode node) => node.AsArray().Select(v => v!.GetValue<int>()).ToArray();
}
