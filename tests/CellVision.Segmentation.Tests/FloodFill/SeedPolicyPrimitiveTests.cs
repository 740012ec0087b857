using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace CellVision.Segmentation.Tests.FloodFill;

/// <summary>
/// The seed policy's building blocks equal SciPy and NumPy on small awkward shapes (Golden/ffn_seed_primitives.py):
/// lines shorter than the Gaussian kernel, planes of one voxel, no marked voxel at all, plateaus of exact ties, and
/// NumPy's legacy Mersenne Twister across several state refills.
/// </summary>
public sealed class SeedPolicyPrimitiveTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-ffn-seeds-").FullName;
    private readonly JsonArray manifest;

    public SeedPolicyPrimitiveTests()
    {
        PythonReference.Run(Path.Combine("Golden", "ffn_seed_primitives.py"), folder);
        manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!.AsArray();
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void FiltersDistancesAndPeaksEqualTheReferenceOnEveryShape()
    {
        var failures = new List<string>();
        foreach (var entry in manifest)
        {
            var name = entry!["name"]!.GetValue<string>();
            var s = entry["shape"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
            var shape = (s[0], s[1], s[2]);
            var image = Read<float>(name + ".image");
            var edges = SobelGradientMagnitude.Compute(image, shape, CancellationToken.None);
            Compare(failures, name + " edges", Read<float>(name + ".edges"), edges);
            var threshold = GaussianSmoothing.Compute(edges, shape, PeakSeedPolicy.ThresholdSigma, CancellationToken.None);
            Compare(failures, name + " threshold", Read<float>(name + ".thresh"), threshold);
            var marks = Read<byte>(name + ".marks").Select(m => m != 0).ToArray();
            Compare(failures, name + " distances", Read<float>(name + ".dt"), EdgeDistanceTransform.Compute(marks, shape, CancellationToken.None));
            var peaks = LocalMaximumPeaks.Find(Read<double>(name + ".plateau"), shape, PeakSeedPolicy.PeakDistance, CancellationToken.None);
            var expected = Read<long>(name + ".peaks").Select(p => (int)p).ToList();
            if (!expected.SequenceEqual(peaks))
            {
                failures.Add($"{name} peaks: {peaks.Count}, reference {expected.Count}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Contains(manifest, e => Read<long>(e!["name"]!.GetValue<string>() + ".peaks").Length > 5);
    }

    [Fact]
    public void RandomStateDrawsEqualNumPysLegacyGenerator()
    {
        var expected = Read<double>("random.bin");
        var first = new LegacyRandomState(42);
        var second = new LegacyRandomState(7);
        var actual = Enumerable.Range(0, 2000).Select(_ => first.NextDouble()).Concat(Enumerable.Range(0, 700).Select(_ => second.NextDouble())).ToArray();
        Assert.Equal(expected, actual);
    }

    private T[] Read<T>(string file)
        where T : unmanaged => [.. MemoryMarshal.Cast<byte, T>(File.ReadAllBytes(Path.Combine(folder, file)))];

    private static void Compare(List<string> failures, string what, float[] expected, float[] actual)
    {
        var differing = Enumerable.Range(0, expected.Length).Count(i => BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]));
        if (expected.Length != actual.Length || differing > 0)
        {
            failures.Add($"{what}: {differing} of {expected.Length} values differ");
        }
    }
}
