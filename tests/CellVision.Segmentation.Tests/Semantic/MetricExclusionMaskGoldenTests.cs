using System.Text.Json.Nodes;
using CellVision.Core.Volumes;
using CellVision.IO.Zarr;

namespace CellVision.Segmentation.Tests.Semantic;

/// <summary>
/// The metric mask equals SciPy's <c>255·¬(binary_dilation(b, n_out) ∧ ¬binary_erosion(b, n_in))</c>
/// (Golden/metric_mask_golden.py) voxel for voxel, on crops of the em-drosophila-vnc-sstem classes that touch the
/// volume's border and on thin, sparse, empty and full volumes; the block-wise computation over a Zarr array gives the
/// same voxels with blocks that cut through objects.
/// </summary>
public sealed class MetricExclusionMaskGoldenTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-metric-mask-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Whole_and_block_wise_masks_match_scipy_voxel_for_voxel()
    {
        PythonReference.Run("Golden/metric_mask_golden.py", folder, SharedData.PathOf("em-drosophila-vnc-sstem", "labels_classes_zyx_uint8.tif"));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!.AsArray();
        var failures = new List<string>();
        foreach (var entry in manifest)
        {
            var name = entry!["name"]!.GetValue<string>();
            var shape = entry["shape"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
            var options = new MetricExclusionMaskOptions
            {
                InnerWidth = entry["inner"]!.GetValue<int>(),
                OuterWidth = entry["outer"]!.GetValue<int>(),
                ClassId = entry["class_id"]?.GetValue<int>(),
                BlockShape = (3, 20, 24),
                WithinSections = entry["within_sections"]!.GetValue<bool>(),
            };
            using var labels = new Volume<byte>(shape[0], shape[1], shape[2]);
            File.ReadAllBytes(Path.Combine(folder, name + ".labels")).CopyTo(labels.Span);
            var expected = File.ReadAllBytes(Path.Combine(folder, name + ".out"));
            Assert.Equal(entry["excluded"]!.GetValue<int>(), expected.Count(v => v == 0));

            using var whole = MetricExclusionMask.Compute(labels, options);
            var differing = Enumerable.Range(0, expected.Length).Count(i => whole.Span[i] != expected[i]);
            if (differing > 0)
            {
                failures.Add($"{name}: {differing} of {expected.Length} voxels differ (whole volume)");
            }

            long[] arrayShape = [.. shape.Select(s => (long)s)];
            var input = ZarrArray.Create<byte>(Path.Combine(folder, name + ".in.zarr"), arrayShape, [4, 32, 32]);
            input.Write(labels);
            var output = ZarrArray.Create<byte>(Path.Combine(folder, name + ".mask.zarr"), arrayShape, [5, 16, 16]);
            MetricExclusionMask.ComputeChunked<byte>(input, output, options);
            var blockwise = output.Read<byte>(output.Bounds);
            differing = Enumerable.Range(0, expected.Length).Count(i => blockwise[i] != expected[i]);
            if (differing > 0)
            {
                failures.Add($"{name}: {differing} of {expected.Length} voxels differ (block-wise)");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(14, manifest.Count);
    }
}
