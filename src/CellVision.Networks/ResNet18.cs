using CellVision.Torch;
using CellVision.Torch.Modules;

namespace CellVision.Networks;

/// <summary>
/// The ResNet-18 trunk without its classifier (<c>fc</c> = identity), giving a 512-d feature per sample.
/// 2-D: torchvision's layout (conv1 7×7 stride 2 padding 3). 3-D: Hara et al.'s (conv1 7×7×7 with stride (1, 2, 2) and
/// padding 3). Then batch normalisation, ReLU, max pooling (3, stride 2, padding 1), four stages of two
/// <see cref="ResNetBasicBlock"/>s with 64/128/256/512 channels (stride 2 entering stages 2–4) and global average pooling.
/// Parameter names are PyTorch's: <c>conv1.weight</c>, <c>bn1.*</c>, <c>layer1.0.conv1.weight</c>, …, <c>layer4.0.downsample.1.*</c>.
/// </summary>
/// <remarks>
/// Initialisation follows the reference constructors: convolutions kaiming-normal (fan out, ReLU), batch
/// normalisation weight 1 and bias 0. The unused classifier (1000 classes in 2-D, 400 in 3-D) is drawn and discarded,
/// so after <see cref="TorchRuntime.ManualSeed"/> the weights, and those of any layer built next, equal PyTorch's.
/// </remarks>
public sealed class ResNet18 : Module<Tensor, Tensor>
{
    /// <summary>Width of the output feature.</summary>
    public const int FeatureSize = 512;

    private static readonly long[] Planes = [64, 128, 256, 512];

    /// <summary>Creates the trunk.</summary>
    /// <param name="spatialDimensions">2 (images, N×C×H×W) or 3 (volumes, N×C×D×H×W).</param>
    /// <param name="inChannels">Input channels (1 for the cell patches).</param>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is not 2 or 3, or no input channel.</exception>
    public ResNet18(int spatialDimensions, long inChannels = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spatialDimensions, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(spatialDimensions, 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        SpatialDimensions = spatialDimensions;
        Conv1 = RegisterModule<Module<Tensor, Tensor>>("conv1", spatialDimensions == 2
            ? new Conv2d(inChannels, 64, 7, 2, 3, bias: false)
            : new Conv3d(inChannels, 64, 7, (1, 2, 2), 3, bias: false));
        Bn1 = RegisterModule("bn1", ResNetBasicBlock.Normalisation(spatialDimensions, 64));
        var layers = new Sequential[4];
        var inPlanes = 64L;
        for (var i = 0; i < 4; i++)
        {
            var stride = i == 0 ? 1 : 2;
            layers[i] = RegisterModule($"layer{i + 1}", new Sequential(
                new ResNetBasicBlock(spatialDimensions, inPlanes, Planes[i], stride),
                new ResNetBasicBlock(spatialDimensions, Planes[i], Planes[i])));
            inPlanes = Planes[i];
        }

        Layers = layers;
        using (new Linear(FeatureSize, spatialDimensions == 2 ? 1000 : 400))
        {
            // Only consumes the random stream as the reference's classifier does.
        }

        Initialise();
    }

    /// <summary>2 or 3.</summary>
    public int SpatialDimensions { get; }

    /// <summary>The 7×7(×7) input convolution (no bias).</summary>
    public Module<Tensor, Tensor> Conv1 { get; }

    /// <summary>Batch normalisation after <see cref="Conv1"/>.</summary>
    public Module<Tensor, Tensor> Bn1 { get; }

    /// <summary>The four stages (<c>layer1</c> … <c>layer4</c>), two blocks each.</summary>
    public IReadOnlyList<Sequential> Layers { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != SpatialDimensions + 2)
        {
            throw new ArgumentException($"A {SpatialDimensions}-D ResNet-18 expects rank {SpatialDimensions + 2} input, got rank {input.Rank}.", nameof(input));
        }

        using var scope = DisposeScope.Enter();
        var x = Bn1.Forward(Conv1.Forward(input)).Relu();
        x = SpatialDimensions == 2
            ? Functional.MaxPool2d(x, 3, 2, 1)
            : Functional.MaxPool3d(x, 3, 2, 1);
        foreach (var layer in Layers)
        {
            x = layer.Forward(x);
        }

        // Adaptive average pooling to 1 is the mean over the spatial axes.
        long[] spatial = SpatialDimensions == 2 ? [2, 3] : [2, 3, 4];
        return scope.MoveToOuter(x.Mean(spatial));
    }

    private void Initialise()
    {
        using var scope = DisposeScope.Enter();
        using var noGrad = GradientMode.NoGrad();
        foreach (var (_, module) in Descendants(this))
        {
            switch (module)
            {
                case Conv2d conv:
                    Init.KaimingNormal(conv.Weight, 0, FanMode.FanOut, Nonlinearity.Relu);
                    break;
                case Conv3d conv:
                    Init.KaimingNormal(conv.Weight, 0, FanMode.FanOut, Nonlinearity.Relu);
                    break;
                case BatchNorm2d norm:
                    Init.Ones(norm.Weight!);
                    Init.Zeros(norm.Bias!);
                    break;
                case BatchNorm3d norm:
                    Init.Ones(norm.Weight!);
                    Init.Zeros(norm.Bias!);
                    break;
                default:
                    break;
            }
        }
    }

    // Depth-first in registration order, as PyTorch's modules().
    private static IEnumerable<(string Name, Module Module)> Descendants(Module module)
    {
        foreach (var (name, child) in module.NamedChildren())
        {
            yield return (name, child);
            foreach (var inner in Descendants(child))
            {
                yield return inner;
            }
        }
    }
}
