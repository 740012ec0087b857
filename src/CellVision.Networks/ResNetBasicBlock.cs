using CellVision.Torch;
using CellVision.Torch.Modules;

namespace CellVision.Networks;

/// <summary>
/// The ResNet basic block, in 2-D (torchvision) or 3-D (Hara et al.): <c>relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))</c>
/// with bias-free 3×3(×3) convolutions, the stride on <c>conv1</c>, and a shortcut of type B (a bias-free 1×1(×1)
/// convolution with the stride, then batch normalisation) where the stride or the width changes. Parameter names are
/// PyTorch's: <c>conv1.weight</c>, <c>bn1.*</c>, <c>conv2.weight</c>, <c>bn2.*</c>, <c>downsample.0.weight</c>, <c>downsample.1.*</c>.
/// </summary>
public sealed class ResNetBasicBlock : Module<Tensor, Tensor>
{
    /// <summary>Creates the block with libtorch's default initialisation, consuming the random stream as PyTorch does.</summary>
    /// <param name="spatialDimensions">2 or 3.</param>
    /// <param name="inPlanes">Input channels.</param>
    /// <param name="planes">Output channels.</param>
    /// <param name="stride">Stride of the first convolution and of the shortcut.</param>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is not 2 or 3, or a size is below 1.</exception>
    public ResNetBasicBlock(int spatialDimensions, long inPlanes, long planes, long stride = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spatialDimensions, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(spatialDimensions, 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        SpatialDimensions = spatialDimensions;

        // PyTorch builds the shortcut before the block, so its weights are drawn first; it is registered last.
        Sequential? downsample = stride != 1 || inPlanes != planes
            ? new Sequential(Convolution(spatialDimensions, inPlanes, planes, 1, stride, 0), Normalisation(spatialDimensions, planes))
            : null;
        Conv1 = RegisterModule("conv1", Convolution(spatialDimensions, inPlanes, planes, 3, stride, 1));
        Bn1 = RegisterModule("bn1", Normalisation(spatialDimensions, planes));
        Conv2 = RegisterModule("conv2", Convolution(spatialDimensions, planes, planes, 3, 1, 1));
        Bn2 = RegisterModule("bn2", Normalisation(spatialDimensions, planes));
        Downsample = downsample is null ? null : RegisterModule("downsample", downsample);
    }

    /// <summary>2 or 3.</summary>
    public int SpatialDimensions { get; }

    /// <summary>The first 3×3(×3) convolution, which carries the stride.</summary>
    public Module<Tensor, Tensor> Conv1 { get; }

    /// <summary>Batch normalisation after <see cref="Conv1"/>.</summary>
    public Module<Tensor, Tensor> Bn1 { get; }

    /// <summary>The second 3×3(×3) convolution.</summary>
    public Module<Tensor, Tensor> Conv2 { get; }

    /// <summary>Batch normalisation after <see cref="Conv2"/>.</summary>
    public Module<Tensor, Tensor> Bn2 { get; }

    /// <summary>The type-B shortcut (1×1(×1) convolution and batch normalisation), or null for the identity.</summary>
    public Sequential? Downsample { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = DisposeScope.Enter();
        var branch = Bn2.Forward(Conv2.Forward(Bn1.Forward(Conv1.Forward(input)).Relu()));
        var shortcut = Downsample is null ? input : Downsample.Forward(input);
        return scope.MoveToOuter((branch + shortcut).Relu());
    }

    /// <summary>A bias-free convolution of the given dimension with a cubic kernel.</summary>
    internal static Module<Tensor, Tensor> Convolution(int dimensions, long input, long output, long kernel, long stride, long padding) =>
        dimensions == 2
            ? new Conv2d(input, output, kernel, stride, padding, bias: false)
            : new Conv3d(input, output, kernel, stride, padding, bias: false);

    /// <summary>Batch normalisation of the given dimension.</summary>
    internal static Module<Tensor, Tensor> Normalisation(int dimensions, long channels) =>
        dimensions == 2 ? new BatchNorm2d(channels) : new BatchNorm3d(channels);
}
