using CellVision.Torch;
using CellVision.Torch.Modules;

namespace CellVision.Networks;

/// <summary>
/// ELEPHANT's <c>ResBlockFlow</c>: <c>LeakyReLU₀.₁((res(x) + conv2(LeakyReLU₀.₁(conv1(x)))) / 2)</c> with a bias-free 1×1×1
/// residual convolution and two 3×3×3 convolutions (padding 1). No normalisation. Parameters are named
/// <c>res.weight</c>, <c>conv1.weight</c>, <c>conv1.bias</c>, <c>conv2.weight</c>, <c>conv2.bias</c>, as ELEPHANT's.
/// </summary>
public sealed class ResidualBlock : Module<Tensor, Tensor>
{
    /// <summary>The slope of the leaky ReLUs for negative inputs (ELEPHANT: 0.1).</summary>
    public const double NegativeSlope = 0.1;

    /// <summary>Creates the block with libtorch's default initialisation.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    public ResidualBlock(long inChannels, long outChannels)
    {
        Residual = RegisterModule("res", new Conv3d(inChannels, outChannels, 1, bias: false));
        First = RegisterModule("conv1", new Conv3d(inChannels, outChannels, 3, padding: 1));
        Second = RegisterModule("conv2", new Conv3d(outChannels, outChannels, 3, padding: 1));
    }

    /// <summary>The 1×1×1 residual projection (no bias).</summary>
    public Conv3d Residual { get; }

    /// <summary>The first 3×3×3 convolution.</summary>
    public Conv3d First { get; }

    /// <summary>The second 3×3×3 convolution.</summary>
    public Conv3d Second { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = DisposeScope.Enter();
        var inner = First.Forward(input);
        var activated = inner.LeakyRelu(NegativeSlope);
        inner.Dispose();
        var branch = Second.Forward(activated);
        activated.Dispose();
        var residual = Residual.Forward(input);
        var sum = residual + branch;
        residual.Dispose();
        branch.Dispose();
        var half = sum / 2.0;
        sum.Dispose();
        var result = half.LeakyRelu(NegativeSlope);
        half.Dispose();
        return scope.MoveToOuter(result);
    }
}
