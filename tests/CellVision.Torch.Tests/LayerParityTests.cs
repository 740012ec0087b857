using CellVision.Torch.Modules;
using CellVision.Torch.Tests.Support;

namespace CellVision.Torch.Tests;

/// <summary>
/// Layers built after <c>manual_seed(11)</c> in the same order as Golden/make_golden.py start with PyTorch's exact
/// parameters, use PyTorch's state dict keys, and give PyTorch's outputs, gradients and running statistics.
/// </summary>
public sealed class LayerParityTests
{
    private const string File = "layers.pth";

    private static List<(string Name, Module<Tensor, Tensor> Layer)> BuildLayers()
    {
        TorchRuntime.ManualSeed(11);
        return
        [
            ("conv3d", new Conv3d(2, 4, 3, padding: 1)),
            ("conv3d_groups_nobias", new Conv3d(4, 6, (1, 3, 3), stride: (1, 2, 2), groups: 2, bias: false)),
            ("conv2d", new Conv2d(3, 5, 3, dilation: 2)),
            ("conv_transpose3d", new ConvTranspose3d(4, 2, 2, stride: 2)),
            ("linear", new Linear(7, 3)),
            ("group_norm", new GroupNorm(2, 4)),
            ("batch_norm3d", new BatchNorm3d(4)),
            ("instance_norm3d", new InstanceNorm3d(4, affine: true)),
            ("sequential", new Sequential(new Conv3d(1, 4, 3, padding: 1), new ReLU(), new Dropout(0.0), new Conv3d(4, 2, 1), new LeakyReLU(0.1), new Tanh())),
        ];
    }

    [Fact]
    public void InPlaceReluGivesTheSameValuesAndGradientsAsTheOutOfPlaceOne()
    {
        using var scope = DisposeScope.Enter();
        TorchRuntime.ManualSeed(4);
        using var plain = new Sequential(new Conv3d(1, 4, 3, padding: 1), new ReLU(), new GroupNorm(2, 4), new Conv3d(4, 2, 1));
        TorchRuntime.ManualSeed(4);
        using var inPlace = new Sequential(new Conv3d(1, 4, 3, padding: 1), new ReLU(inPlace: true), new GroupNorm(2, 4), new Conv3d(4, 2, 1));
        var input = Tensor.RandomNormal([2, 1, 4, 6, 5]);
        var gradients = new List<float[]>();
        foreach (var model in new[] { plain, inPlace })
        {
            var x = input.Clone();
            x.RequiresGrad = true;
            var output = model.Forward(x);
            output.Pow(2).Sum().Backward();
            gradients.Add([.. output.ToArray<float>(), .. x.Grad!.ToArray<float>(), .. model.Parameters().SelectMany(p => p.Grad!.ToArray<float>())]);
        }

        Assert.Equal(gradients[0], gradients[1]);
        var values = Tensor.FromArray(new float[] { -1, 2, -3, 4 });
        Assert.Same(values, new ReLU(inPlace: true).Forward(values));
        Assert.Equal([0f, 2f, 0f, 4f], values.ToArray<float>());
    }

    [Fact]
    public void InitialParametersForwardAndGradientsMatchPython()
    {
        var layers = BuildLayers();
        try
        {
            foreach (var (name, layer) in layers)
            {
                using var scope = DisposeScope.Enter();
                AssertStateMatches(name, "init", layer);

                var input = Golden.Get(File, $"{name}/input").Clone();
                input.RequiresGrad = true;
                var output = layer.Forward(input);
                TensorAssert.Close(Golden.Get(File, $"{name}/output"), output, what: $"{name} output");

                output.Pow(2).Sum().Backward();
                TensorAssert.Close(Golden.Get(File, $"{name}/input_grad"), input.Grad!, what: $"{name} input gradient");
                foreach (var (key, parameter) in layer.NamedParameters())
                {
                    TensorAssert.Close(Golden.Get(File, $"{name}/grad/{key}"), parameter.Grad!, relativeTolerance: 1e-5, absoluteTolerance: 1e-5, what: $"{name} gradient of {key}");
                }

                AssertStateMatches(name, "after", layer);
            }
        }
        finally
        {
            layers.ForEach(l => l.Layer.Dispose());
        }
    }

    [Fact]
    public void SequentialNamesChildrenByPositionIncludingParameterlessOnes()
    {
        using var model = new Sequential(new Conv3d(1, 2, 3), new ReLU(), new BatchNorm3d(2), new Conv3d(2, 1, 1, bias: false));
        using var state = model.StateDict();
        Assert.Equal(
            ["0.weight", "0.bias", "2.weight", "2.bias", "2.running_mean", "2.running_var", "2.num_batches_tracked", "3.weight"],
            state.Keys);
    }

    [Fact]
    public void EvalModeUsesRunningStatisticsAndDisablesDropout()
    {
        using var norm = new BatchNorm3d(2);
        using var dropout = new Dropout(0.9);
        norm.Eval();
        dropout.Eval();
        using var scope = DisposeScope.Enter();
        var x = Tensor.RandomNormal([2, 2, 2, 2, 2]);
        TensorAssert.Close(x / Math.Sqrt(1 + 1e-5), norm.Forward(x));
        TensorAssert.Equal(x, dropout.Forward(x));
        Assert.Equal(0, norm.BatchesTracked!.ToScalar());
    }

    private static void AssertStateMatches(string name, string stage, Module layer)
    {
        using var state = layer.StateDict();
        var expectedKeys = Golden.File(File).Keys.Where(k => k.StartsWith($"{name}/{stage}/", StringComparison.Ordinal)).Select(k => k[$"{name}/{stage}/".Length..]).ToList();
        Assert.Equal(expectedKeys, state.Keys);
        foreach (var (key, tensor) in state)
        {
            TensorAssert.Close(Golden.Get(File, $"{name}/{stage}/{key}"), tensor, what: $"{name} {stage} {key}");
        }
    }
}
