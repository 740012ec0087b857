using System.Text.Json.Nodes;
using CellVision.Torch;

namespace CellVision.Segmentation.Tests.Semantic;

/// <summary>Runs Golden/incasem_unet_golden.py once into a temporary folder and reads what it wrote.</summary>
public sealed class SemanticGoldenFixture : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public SemanticGoldenFixture()
    {
        PythonReference.Run("Golden/incasem_unet_golden.py", "make", folder.Path);
        Manifest = JsonNode.Parse(File.ReadAllText(folder["manifest.json"]))!;
    }

    internal JsonNode Manifest { get; }

    internal string this[string name] => folder[name];

    public void Dispose() => folder.Dispose();

    internal (int Z, int Y, int X) Size(string name)
    {
        var size = Manifest[name]!["size"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
        return (size[0], size[1], size[2]);
    }

    internal IReadOnlyList<Size3> Factors(string name) =>
        [.. Manifest[name]!["factors"]!.AsArray().Select(f => f!.AsArray().Select(n => n!.GetValue<long>()).ToArray()).Select(f => new Size3(f[0], f[1], f[2]))];

    internal float[] Floats(string name) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(folder[name])).ToArray();

    internal int[] Ints(string name) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(File.ReadAllBytes(folder[name])).ToArray();

    /// <summary>Runs the network on the case's input without gradients and returns the logits with their shape.</summary>
    internal (float[] Values, long[] Shape) Forward(SemanticUNet network, string name)
    {
        var (z, y, x) = Size(name);
        using var scope = DisposeScope.Enter();
        using var noGrad = GradientMode.NoGrad();
        var output = network.Forward(Tensor.FromSpan<float>(Floats($"{name}.input.bin"), [1, 1, z, y, x]));
        return (output.ToArray<float>(), output.Shape);
    }

    /// <summary>Asserts that every value is within <paramref name="tolerance"/> of the expected one, relative above 1.</summary>
    internal static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]) / Math.Max(1, Math.Abs(expected[i])));
        }

        Assert.True(worst <= tolerance, $"largest difference {worst:E2} exceeds {tolerance:E0}");
    }
}
