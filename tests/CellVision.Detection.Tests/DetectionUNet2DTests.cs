using CellVision.Torch;
using CellVision.Torch.Modules;
using CellVision.Torch.Serialization;

namespace CellVision.Detection.Tests;

/// <summary>ELEPHANT's 2-D detection U-Net: its size and keys, and its equivalence with the 3-D network on one slice.</summary>
public sealed class DetectionUNet2DTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-unet2d-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ParameterCountAndKeysAreElephants()
    {
        using var model = new DetectionUNet2D();
        using var threeD = new DetectionUNet();
        Assert.Equal(1_965_315, model.Parameters().Sum(p => p.ElementCount));
        using var weights = model.StateDict();
        using var weights3D = threeD.StateDict();
        Assert.Equal(weights3D.Keys.Order(StringComparer.Ordinal), weights.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([16L, 1, 3, 3], weights["encoder.0.0.weight"].Shape);
        Assert.Equal([128L, 384, 3, 3], weights["decoder.0.0.weight"].Shape);
        Assert.Equal([3L, 16, 1, 1], weights["out_conv.weight"].Shape);
    }

    [Fact]
    public void OnOneSliceItEqualsThe3DNetworkWhoseKernelsHoldItsWeightsInTheMiddlePlane()
    {
        TorchRuntime.ManualSeed(11);
        using var model = new DetectionUNet2D();
        using var threeD = new DetectionUNet();
        using var scope = DisposeScope.Enter();
        using var weights = model.StateDict();
        var embedded = new Dictionary<string, Tensor>();
        foreach (var (key, tensor) in weights)
        {
            if (tensor.Shape.Length == 4)
            {
                var zeros = Tensor.Zeros(tensor.Shape);
                embedded[key] = tensor.Shape[2] == 1
                    ? tensor.Unsqueeze(2)
                    : Tensor.Concatenate([zeros.Unsqueeze(2), tensor.Unsqueeze(2), zeros.Unsqueeze(2)], 2);
            }
            else
            {
                embedded[key] = tensor;
            }
        }

        threeD.LoadStateDict(embedded);
        model.Eval();
        threeD.Eval();
        using var noGrad = GradientMode.InferenceMode();

        // 20 × 24 is not a multiple of 16: both resize (bilinear; trilinear over one slice) and pad by 8.
        var input = Tensor.FromSpan<float>([.. Enumerable.Range(0, 20 * 24).Select(i => (float)((Math.Sin(i * 0.13) + 1) / 2))], [1, 1, 20, 24]);
        foreach (var pad in new[] { false, true })
        {
            // Probabilities; float32 rounding of the two convolution kernels, amplified through the randomly initialised
            // layers, leaves differences around 1e-5, where a wrong pooling, upsampling or concatenation gives 1e-1.
            var expected = threeD.Forward(input.Unsqueeze(2), [true, true, true, true], pad).Squeeze(2).Exp().ToArray<float>();
            var actual = model.Forward(input, pad).Exp().ToArray<float>();
            Assert.Equal(3 * 20 * 24, actual.Length);
            for (var i = 0; i < actual.Length; i++)
            {
                Assert.Equal(expected[i], actual[i], 1e-4f);
            }
        }
    }

    [Fact]
    public void SavedModelsLoadAndA3DStateDictIsRefused()
    {
        TorchRuntime.ManualSeed(12);
        using var model = new DetectionUNet2D();
        var path = Path.Combine(folder, "versatile2d.pth");
        using (var weights = model.StateDict())
        {
            PthFile.Save(path, weights);
        }

        var loaded = DetectionUNet2D.LoadEnsemble(path);
        Assert.Single(loaded);
        using (var scope = DisposeScope.Enter())
        {
            var input = Tensor.FromSpan<float>(new float[32 * 32], [1, 1, 32, 32]);
            Assert.Equal(model.Forward(input).ToArray<float>(), loaded[0].Forward(input).ToArray<float>());
        }

        loaded[0].Dispose();
        var path3D = Path.Combine(folder, "versatile3d.pth");
        using (var threeD = new DetectionUNet())
        using (var weights = threeD.StateDict())
        {
            PthFile.Save(path3D, weights);
        }

        Assert.ThrowsAny<Exception>(() => DetectionUNet2D.LoadEnsemble(path3D));
        Assert.ThrowsAny<Exception>(() => DetectionUNet.LoadEnsemble(path));
    }
}
