using CellVision.Torch;
using CellVision.Torch.Modules;

namespace CellVision.Benchmarks;

/// <summary>
/// A stack of 3×3×3 convolutions with ReLU, channels → channels, the shape of the comparison with Python torch in
/// benchmarks/compare/conv3d_stack.sh. One <see cref="ForwardBackward"/> is a forward pass, a scalar loss and a
/// backward pass through every layer.
/// </summary>
public sealed class Conv3dStackModel : IDisposable
{
    private readonly Sequential model;
    private readonly Tensor input;

    public Conv3dStackModel(int channels, int layers, long[] inputShape)
    {
        TorchRuntime.ManualSeed(0);
        var modules = new List<Module<Tensor, Tensor>>();
        for (var i = 0; i < layers; i++)
        {
            modules.Add(new Conv3d(channels, channels, 3, padding: 1));
            modules.Add(new ReLU());
        }

        model = new Sequential(modules);
        input = Tensor.RandomNormal(inputShape).DetachFromDisposeScope();
    }

    public void ForwardBackward()
    {
        using var scope = DisposeScope.Enter();
        model.Forward(input).Mean().Backward();
        model.ZeroGrad();
    }

    public void Forward()
    {
        using var scope = DisposeScope.Enter();
        using var inference = GradientMode.InferenceMode();
        model.Forward(input);
    }

    public void Dispose()
    {
        model.Dispose();
        input.Dispose();
    }
}
