using CellVision.Torch;
using CellVision.Torch.Serialization;
using CellVision.Tracking;
using Xunit.Abstractions;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>
/// The GNN tracker's edge classifier equals an independent plain-PyTorch transcription (Golden/Gnn/gnn_model_reference.py):
/// the reference's state-dict keys and parameter counts, the same weights after the same seed, and with the same
/// weights the same logits, loss, gradients and Adam update, in 2-D and 3-D, with and without embeddings.
/// </summary>
[Collection(LibtorchGeneratorDefinition.Name)] // it seeds libtorch's process-wide generator
public sealed class CellTrackGnnParityTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-gnn-model-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static TheoryData<int, bool, long> Variants => new()
    {
        { 16, true, 249_895 },   // 3-D, the reference's count
        { 13, true, 249_319 },   // 2-D, the reference's count
        { 16, false, 217_559 },  // geometry only
        { 13, false, 216_983 },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Keys_counts_and_seeded_weights_equal_PyTorchs(int handcrafted, bool embedding, long parameters)
    {
        var options = new CellTrackGnnOptions { HandcraftedFeatures = handcrafted, UseEmbedding = embedding };
        TorchRuntime.ManualSeed(11);
        using var model = new CellTrackGnn(options);
        output.WriteLine($"Fh={handcrafted} embedding={embedding}: {model.ParameterCount:N0} parameters");
        Assert.Equal(parameters, model.ParameterCount);

        var path = Path.Combine(folder, "python.pth");
        var printed = PythonReference.Run(GnnModelGraphs.Script, "init", "11", $"{handcrafted}", embedding ? "1" : "0", path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"parameters {parameters}", printed[^1]);
        using var own = model.StateDict();
        Assert.Equal(printed[..^1], own.Keys);

        // Python's state dict loads strictly and holds the very weights this seed drew here.
        using var python = PthFile.LoadStateDict(path);
        using var scope = DisposeScope.Enter();
        foreach (var (key, tensor) in own)
        {
            Assert.True(python[key].Equal(tensor).ToArray<bool>().All(b => b), $"{key} differs after the same seed");
        }

        using var loaded = new CellTrackGnn(options);
        Assert.True(loaded.LoadStateDict(python).IsExactMatch);
    }

    /// <summary>
    /// In float32 to 1e-5 of each tensor's scale (absolute below 1); in float64 to 1e-10, where rounding no longer hides
    /// a misplaced term in layers whose gradients are small.
    /// </summary>
    [Theory]
    [InlineData(16, true, false)]
    [InlineData(13, true, false)]
    [InlineData(16, false, false)]
    [InlineData(16, true, true)]
    [InlineData(13, false, true)]
    public void Forward_loss_gradients_and_Adam_step_equal_PyTorchs(int handcrafted, bool embedding, bool doublePrecision)
    {
        var tolerance = doublePrecision ? 1e-10 : 1e-5;
        TorchRuntime.ManualSeed(5);
        using var model = new CellTrackGnn(new CellTrackGnnOptions { HandcraftedFeatures = handcrafted, UseEmbedding = embedding });
        using var graph = GnnModelGraphs.Create(3, handcrafted, embedding, doublePrecision ? ScalarType.Float64 : ScalarType.Float32);
        if (doublePrecision)
        {
            model.To(Device.Cpu, ScalarType.Float64);
        }

        // PyTorch's default initialisation shrinks a signal about sixfold per Linear + ReLU, so after the 17 of them
        // fresh logits hardly depend on the graph. Weights scaled by √6 keep the scale and let every layer show.
        using (GradientMode.NoGrad())
        {
            foreach (var weight in model.Parameters().Where(p => p.Shape.Length == 2))
            {
                weight.MultiplyInPlace(Math.Sqrt(6));
            }
        }

        var weights = Path.Combine(folder, "weights.pth");
        var graphPath = Path.Combine(folder, "graph.pth");
        var gradients = Path.Combine(folder, "gradients.pth");
        var result = Path.Combine(folder, "result.pth");
        using (var state = model.StateDict())
        {
            PthFile.Save(weights, state);
        }

        GnnModelGraphs.Save(graph, graphPath);
        using var scope = DisposeScope.Enter();
        model.Eval();
        Tensor logits;
        using (GradientMode.NoGrad())
        {
            logits = model.Forward(graph);
        }

        using var trainer = new CellTrackGnnTrainer(model);
        var step = trainer.Step(graph, training: false);
        PthFile.Save(gradients, model.NamedParameters().ToDictionary(p => p.Name, p => (object?)p.Parameter.Grad));
        PythonReference.Run(GnnModelGraphs.Script, "step", $"{handcrafted}", embedding ? "1" : "0", weights, graphPath, result, gradients);
        using var expected = PthFile.LoadStateDict(result);

        var logitDifference = GnnModelGraphs.AssertClose(expected["logits"], logits, tolerance, "logits");
        var spread = logits.Max().ToScalar() - logits.Min().ToScalar();
        Assert.True(spread > 1, $"the logits hardly vary ({spread})");
        Assert.Equal(expected["loss"].ToScalar(), step.Loss, tolerance);
        Assert.Equal(expected["loss_composed"].ToScalar(), step.Loss, tolerance);
        double gradientDifference = 0, stepDifference = 0, weightDifference = 0;
        foreach (var (name, parameter) in model.NamedParameters())
        {
            gradientDifference = Math.Max(gradientDifference, GnnModelGraphs.AssertClose(expected["grad." + name], parameter.Grad!, tolerance, "gradient of " + name));
            stepDifference = Math.Max(stepDifference, GnnModelGraphs.AssertClose(expected["given." + name], parameter, tolerance / 10, "Adam's update of " + name));

            // From PyTorch's own gradients: exact in float64; in float32 Adam's first step, g / (|g| + 1e-8), magnifies
            // the rounding of gradients near zero, so this is checked in float64 only and reported.
            weightDifference = Math.Max(weightDifference, GnnModelGraphs.AssertClose(expected["new." + name], parameter, doublePrecision ? tolerance : 1, "updated " + name));
        }

        output.WriteLine($"Fh={handcrafted} embedding={embedding} {(doublePrecision ? "float64" : "float32")}: {graph.EdgeCount} edges, loss {step.Loss:F6} " +
            $"(PyTorch {expected["loss"].ToScalar():F6}); largest relative differences: logits {logitDifference:G2}, gradients {gradientDifference:G2}, " +
            $"Adam step from these gradients {stepDifference:G2}, updated weights from PyTorch's gradients {weightDifference:G2}");
    }
}
