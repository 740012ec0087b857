using CellVision.Detection;
using CellVision.Networks;
using CellVision.Torch.Serialization;
using CellVision.Torch;

namespace CellVision.Detection.Tests;

/// <summary>
/// The detection U-Net reproduces ELEPHANT's model test as Golden/make_unet_golden.py computes it on the same machine (the
/// script checks its transcription against the values printed in ELEPHANT's test_models.py), uses ELEPHANT's state dict
/// keys, and loads a Python-saved state dict.
/// </summary>
public sealed class DetectionUNetTests : IDisposable
{
    private static readonly Lazy<IReadOnlyDictionary<string, object?>> Golden = new(() =>
        (IReadOnlyDictionary<string, object?>)PthFile.Load(Path.Combine(AppContext.BaseDirectory, "Golden", "unet.pth"))!);

    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-unet-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ElephantsModelTestIsReproduced()
    {
        using var model = ElephantTestModel();
        using var scope = DisposeScope.Enter();
        var reference = Load(RunReference());
        Assert.Equal(5_887_011, model.Parameters().Sum(p => p.ElementCount));
        using (GradientMode.NoGrad())
        {
            AssertClose(reference["y_all_keep"], model.Forward(reference["x"], [true, true, true, true]));
            AssertClose(reference["y_three_keep"], model.Forward(reference["x"], [true, true, true, false]));
            AssertClose(reference["y_patch_padded"], model.Forward(reference["patch"], [true, true, false, false], pad: true));
        }
    }

    [Fact]
    public void StateDictKeysAndShapesAreElephants()
    {
        using var model = new DetectionUNet();
        using var state = model.StateDict();
        var expected = Golden.Value.Keys.Where(k => k.StartsWith("shape/", StringComparison.Ordinal)).Select(k => k[6..]).ToList();
        Assert.Equal(74, expected.Count);
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
        var referencePath = RunReference(statePath);
        TorchRuntime.ManualSeed(123);
        using var model = new DetectionUNet();
        model.Eval();
        using (var weights = PthFile.LoadStateDict(statePath))
        {
            Assert.True(model.LoadStateDict(weights).IsExactMatch);
        }

        using var scope = DisposeScope.Enter();
        var reference = Load(referencePath);
        using (GradientMode.NoGrad())
        {
            AssertClose(reference["y_all_keep"], model.Forward(reference["x"], [true, true, true, true]));
        }
    }

    [Theory]
    [InlineData(1.0, 0)]
    [InlineData(5.0, 2)]
    [InlineData(8.0, 3)]
    [InlineData(11.1, 3)]
    public void KeepAxialsFollowElephantsRounding(double anisotropy, int levels) =>
        Assert.Equal(levels, KeepAxials.LevelsFromAnisotropy(anisotropy));

    [Fact]
    public void BadInputShapesAreArgumentErrors()
    {
        using var model = new DetectionUNet();
        using var scope = DisposeScope.Enter();
        Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros([1, 2, 4, 16, 16]), KeepAxials.FromLevels(4)));
        Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros([1, 1, 4, 16, 16]), [true, true]));
    }

    /// <summary>The network of ELEPHANT's test: every convolution initialised right after manual_seed(42), biases 0.</summary>
    private static DetectionUNet ElephantTestModel()
    {
        var model = new DetectionUNet();
        model.Eval();
        foreach (var conv in model.Convolutions())
        {
            TorchRuntime.ManualSeed(42);
            Init.KaimingNormal(conv.Weight, mode: FanMode.FanIn);
            Init.Zeros(conv.Bias!);
        }

        return model;
    }

    private static Tensor Get(string key) => (Tensor)Golden.Value[key]!;

    /// <summary>
    /// Runs Golden/make_unet_golden.py (saving the initialised state dict to <paramref name="statePath"/> if given) and
    /// returns the path of its inputs and outputs. It runs here rather than once for a committed file because the padded
    /// patch's wider convolutions go to oneDNN, whose sums follow the CPU: its AVX-512 and AVX2 kernels disagree by up to
    /// 5e-5 in the output. Run with the same libtorch on the same CPU, the reference uses the same kernels as the network
    /// under test, which follows PyTorch's choice of kernels as the script does.
    /// </summary>
    private string RunReference(string? statePath = null)
    {
        var path = Path.Combine(folder, "golden.pth");
        PythonReference.Run("Golden/make_unet_golden.py", statePath is null ? [path] : [path, statePath]);
        return path;
    }

    private static Dictionary<string, Tensor> Load(string path) =>
        ((IReadOnlyDictionary<string, object?>)PthFile.Load(path)!).Where(v => v.Value is Tensor).ToDictionary(v => v.Key, v => (Tensor)v.Value!);

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
