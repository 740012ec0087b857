using CellVision.Networks;
using CellVision.Torch.Serialization;
using CellVision.Torch;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Flow;

/// <summary>
/// The flow U-Net reproduces ELEPHANT's flow model test (Golden/Flow/make_flow_golden.py checks its transcription against
/// the values printed in ELEPHANT's test_models.py), uses ELEPHANT's state dict keys, and loads a Python-saved state dict.
/// </summary>
[Collection(CellVision.Tracking.Tests.Gnn.LibtorchGeneratorDefinition.Name)] // it seeds libtorch's process-wide generator
public sealed class FlowUNetTests : IDisposable
{
    private static readonly Lazy<IReadOnlyDictionary<string, object?>> Golden = new(() =>
        (IReadOnlyDictionary<string, object?>)PthFile.Load(GoldenFlow.PathOf("flow_unet.pth"))!);

    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-flow-unet-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ElephantsFlowModelTestIsReproduced()
    {
        using var model = ElephantTestModel();
        using var scope = DisposeScope.Enter();
        Assert.Equal(5_928_051, model.Parameters().Sum(p => p.ElementCount));
        using (GradientMode.NoGrad())
        {
            AssertClose(Get("y_all_keep"), model.Forward(Get("x"), [true, true, true, true]));
            AssertClose(Get("y_three_keep"), model.Forward(Get("x"), [true, true, true, false]));
            AssertClose(Get("y_patch_padded"), model.Forward(Get("patch"), [true, true, false, false], pad: true));
        }
    }

    [Fact]
    public void StateDictKeysAndShapesAreElephants()
    {
        using var model = new FlowUNet();
        using var state = model.StateDict();
        var expected = Golden.Value.Keys.Where(k => k.StartsWith("shape/", StringComparison.Ordinal)).Select(k => k[6..]).ToList();
        Assert.Equal(43, expected.Count);
        Assert.Equal(expected, state.Keys);
        foreach (var key in expected)
        {
            Assert.Equal(Get("shape/" + key).ToArray<long>(), state[key].Shape);
        }
    }

    [Fact]
    public void PythonSavedStateDictLoadsAndPredictsTheSame()
    {
        var statePath = Path.Combine(folder, "state.pth");
        PythonReference.Run("Golden/Flow/make_flow_golden.py", Path.Combine(folder, "golden.pth"), statePath);

        TorchRuntime.ManualSeed(123);
        using var model = new FlowUNet();
        model.Eval();
        using (var weights = PthFile.LoadStateDict(statePath))
        {
            Assert.True(model.LoadStateDict(weights).IsExactMatch);
        }

        using var scope = DisposeScope.Enter();
        using (GradientMode.NoGrad())
        {
            AssertClose(Get("y_all_keep"), model.Forward(Get("x"), [true, true, true, true]));
        }

        // And what we save loads back into a fresh network with the same keys.
        var roundTrip = Path.Combine(folder, "roundtrip.pth");
        using (var state = model.StateDict())
        {
            PthFile.Save(roundTrip, state);
        }

        using var reloaded = new FlowUNet();
        using (var weights = PthFile.LoadStateDict(roundTrip))
        {
            Assert.True(reloaded.LoadStateDict(weights).IsExactMatch);
        }

        reloaded.Eval();
        using (GradientMode.NoGrad())
        {
            AssertClose(Get("y_all_keep"), reloaded.Forward(Get("x"), [true, true, true, true]));
        }
    }

    [Fact]
    public void BadInputShapesAreArgumentErrors()
    {
        using var model = new FlowUNet();
        using var scope = DisposeScope.Enter();
        Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros([1, 1, 4, 16, 16]), KeepAxials.FromLevels(4)));
        Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros([1, 2, 4, 16, 16]), [true, true]));
    }

    /// <summary>The network of ELEPHANT's test: every convolution initialised right after manual_seed(42), biases 0.</summary>
    private static FlowUNet ElephantTestModel()
    {
        var model = new FlowUNet();
        model.Eval();
        foreach (var conv in model.Convolutions())
        {
            TorchRuntime.ManualSeed(42);
            Init.KaimingNormal(conv.Weight, mode: FanMode.FanIn);
            if (conv.Bias is not null)
            {
                Init.Zeros(conv.Bias);
            }
        }

        return model;
    }

    private static Tensor Get(string key) => (Tensor)Golden.Value[key]!;

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray<float>();
        var a = actual.ToArray<float>();
        for (var i = 0; i < e.Length; i++)
        {
            Assert.True(Math.Abs(a[i] - e[i]) <= 1e-5 * Math.Max(1, Math.Abs(e[i])), $"element {i}: expected {e[i]}, got {a[i]}");
        }
    }
}
