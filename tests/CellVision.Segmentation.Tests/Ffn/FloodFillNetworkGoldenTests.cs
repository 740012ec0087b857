using System.Text.Json.Nodes;
using CellVision.Segmentation;
using CellVision.Torch;
using CellVision.Torch.Optimizers;

namespace CellVision.Segmentation.Tests.Ffn;

/// <summary>
/// The flood-filling network against a plain-PyTorch transcription of the reference model (Golden/ffn_model_golden.py):
/// the TensorFlow-layout import, the forward pass with its additive update, one clipped SGD step, and state dicts that
/// load on both sides.
/// </summary>
public sealed class FloodFillNetworkGoldenTests : IDisposable
{
    private readonly TemporaryFolder folder = new();
    private readonly JsonNode manifest;

    public FloodFillNetworkGoldenTests()
    {
        PythonReference.Run("Golden/ffn_model_golden.py", "make", folder.Path);
        manifest = JsonNode.Parse(File.ReadAllText(folder["manifest.json"]))!;
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void The_imported_TensorFlow_weights_give_the_transcriptions_output()
    {
        using var network = FloodFillNetwork.FromTensorFlowNpz(folder["tf.npz"], Triple("fov"), Triple("deltas"));

        Assert.Equal((3, 6), (network.Options.Depth, network.Options.Features));
        AssertClose(Read("forward.bin"), Forward(network), 1e-5);
    }

    [Fact]
    public void Predict_returns_the_updated_logits_of_each_window()
    {
        using var network = FloodFillNetwork.FromTensorFlowNpz(folder["tf.npz"], Triple("fov"), Triple("deltas"));
        var (image, seed) = (Read("image.bin"), Read("seed.bin"));
        var logits = new float[image.Length];

        network.Predict(image, seed, logits, batchSize: 2);

        AssertClose(Read("forward.bin"), logits, 1e-5);
    }

    [Fact]
    public void One_clipped_SGD_step_equals_the_transcriptions()
    {
        using var network = FloodFillNetwork.FromTensorFlowNpz(folder["tf.npz"], Triple("fov"), Triple("deltas"));
        network.Train();
        using var optimizer = new Sgd(network.Parameters(), manifest["learning_rate"]!.GetValue<double>());
        var (image, seed, target) = (Read("image.bin"), Read("seed.bin"), Read("target.bin"));
        var logits = new float[image.Length];

        var loss = FloodFillTrainingStep.Run(network, optimizer, manifest["clip"]!.GetValue<double>(), image, seed, target, logits, batch: 2);

        Assert.True(manifest["clipped_entries"]!.GetValue<int>() > 0, "The clip does not bind in this case.");
        Assert.Equal(manifest["loss"]!.GetValue<double>(), loss, 1e-6);
        AssertClose(Read("forward.bin"), logits, 1e-5);
        var parameters = network.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.ToArray<float>());
        Assert.Equal(manifest["parameters"]!.AsArray().Select(n => n!.GetValue<string>()).Order(), parameters.Keys.Order());
        foreach (var (name, value) in parameters)
        {
            AssertClose(Read($"stepped.{name}.bin"), value, 1e-6);
        }
    }

    [Theory]
    [InlineData(FloodFillOptimizer.Momentum, "momentum")]
    [InlineData(FloodFillOptimizer.Adam, "adam")]
    public void Two_clipped_steps_of_the_other_reference_optimisers_equal_their_TensorFlow_formulas(FloodFillOptimizer kind, string name)
    {
        using var network = FloodFillNetwork.FromTensorFlowNpz(folder["tf.npz"], Triple("fov"), Triple("deltas"));
        network.Train();
        var rate = manifest[kind == FloodFillOptimizer.Adam ? "adam_learning_rate" : "learning_rate"]!.GetValue<double>();
        using var optimizer = FloodFillTrainer.CreateOptimizer(network, new FloodFillTrainingOptions { Optimizer = kind, LearningRate = rate });
        var (image, seed, target) = (Read("image.bin"), Read("seed.bin"), Read("target.bin"));
        var logits = new float[image.Length];

        for (var step = 0; step < 2; step++)
        {
            FloodFillTrainingStep.Run(network, optimizer, manifest["clip"]!.GetValue<double>(), image, seed, target, logits, batch: 2);
        }

        foreach (var (parameterName, parameter) in network.NamedParameters())
        {
            AssertClose(Read($"{name}.{parameterName}.bin"), parameter.ToArray<float>(), 1e-6);
        }
    }

    [Fact]
    public void State_dicts_load_both_ways_with_CellVision_names()
    {
        using (var imported = FloodFillNetwork.FromTensorFlowNpz(folder["tf.npz"], Triple("fov"), Triple("deltas")))
        {
            imported.Save(folder["csharp.pth"]);
        }

        var check = JsonNode.Parse(PythonReference.Run("Golden/ffn_model_golden.py", "check", folder.Path))!;
        Assert.Empty(check["missing"]!.AsArray());
        Assert.Empty(check["unexpected"]!.AsArray());
        Assert.Equal(0.0, check["max_difference"]!.GetValue<double>());

        using var fromPython = FloodFillNetwork.Load(folder["python.pth"]);
        Assert.Equal(Triple("fov"), fromPython.FieldOfView);
        Assert.Equal(Triple("deltas"), fromPython.Deltas);
        AssertClose(Read("forward.bin"), Forward(fromPython), 1e-5);
    }

    private float[] Forward(FloodFillNetwork network)
    {
        var (z, y, x) = Triple("fov");
        using var scope = DisposeScope.Enter();
        using var noGrad = GradientMode.NoGrad();
        var input = Tensor.Concatenate([Tensor.FromSpan<float>(Read("image.bin"), [2, 1, z, y, x]), Tensor.FromSpan<float>(Read("seed.bin"), [2, 1, z, y, x])], 1);
        return network.Forward(input).ToArray<float>();
    }

    private (int Z, int Y, int X) Triple(string key)
    {
        var values = manifest[key]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
        return (values[0], values[1], values[2]);
    }

    private float[] Read(string name) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(folder[name])).ToArray();

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = Enumerable.Range(0, expected.Length).Max(i => Math.Abs(expected[i] - actual[i]) / Math.Max(1, Math.Abs(expected[i])));
        Assert.True(worst <= tolerance, $"largest difference {worst:E2} exceeds {tolerance:E0}");
    }
}
