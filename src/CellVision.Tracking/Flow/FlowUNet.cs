using CellVision.Networks;
using CellVision.Torch.Modules;
using CellVision.Torch;

namespace CellVision.Tracking;

/// <summary>
/// ELEPHANT's optical-flow network (<c>FlowResNet.three_dimensional_flow</c>, 5,928,051 parameters): the detection
/// U-Net's skeleton (four levels of 16/32/64/128 channels, a 256-channel base, keep-axial pooling, nearest upsampling,
/// skip tensor first in each concatenation) with residual encoder and base blocks
/// (<c>LeakyReLU((res(x) + conv(LeakyReLU(conv(x)))) / 2)</c>), decoder blocks conv → LeakyReLU → conv → LeakyReLU
/// (slope 0.1, no normalisation), a 1×1×1 output convolution and Tanh. Input channel 0 is frame t, channel 1 frame t + 1
/// (each min–max normalised); output channels are the backward displacement (dx, dy, dz) of frame t + 1 divided by the
/// <see cref="FlowNormFactor"/>. Parameter names equal ELEPHANT's state dict keys (<c>encoder.0.res.weight</c> …
/// <c>out_conv.bias</c>, 43 tensors), so its <c>.pth</c> files load.
/// </summary>
public sealed class FlowUNet : Module
{
    private readonly ModuleList<ResidualBlock> encoder;
    private readonly ResidualBlock @base;
    private readonly ModuleList<Sequential> decoder;
    private readonly Conv3d outConv;

    /// <summary>Creates the network with ELEPHANT's initialisation (Kaiming normal, fan-in, zero biases).</summary>
    public FlowUNet()
    {
        encoder = RegisterModule("encoder", new ModuleList<ResidualBlock>(
            new ResidualBlock(2, 16), new ResidualBlock(16, 32), new ResidualBlock(32, 64), new ResidualBlock(64, 128)));
        @base = RegisterModule("base", new ResidualBlock(128, 256));
        decoder = RegisterModule("decoder", new ModuleList<Sequential>(DecoderBlock(384, 128), DecoderBlock(192, 64), DecoderBlock(96, 32), DecoderBlock(48, 16)));
        outConv = RegisterModule("out_conv", new Conv3d(16, 3, 1));
        foreach (var conv in Convolutions())
        {
            Init.KaimingNormal(conv.Weight, mode: FanMode.FanIn);
            if (conv.Bias is not null)
            {
                Init.Zeros(conv.Bias);
            }
        }
    }

    /// <summary>
    /// The convolutions in PyTorch's <c>modules()</c> order: per encoder block and the base <c>res</c>, <c>conv1</c>,
    /// <c>conv2</c>; per decoder block its two convolutions; then the output convolution.
    /// </summary>
    public IEnumerable<Conv3d> Convolutions() =>
        encoder.Append(@base).SelectMany(block => new[] { block.Residual, block.First, block.Second })
            .Concat(decoder.SelectMany(block => new[] { (Conv3d)block[0], (Conv3d)block[2] }))
            .Append(outConv);

    /// <summary>
    /// Normalised flow (N, 3, D, H, W) in [−1, 1] for input (N, 2, D, H, W). Inputs whose size is not a multiple of the
    /// base size (2^zPoolings, 16, 16) are resized there trilinearly (align corners) and the output resized back.
    /// </summary>
    /// <param name="input">Frames t and t + 1, each normalised to [0, 1], (N, 2, D, H, W).</param>
    /// <param name="keepAxials">Four flags: level i pools (1, 2, 2) when true, (2, 2, 2) when false (see <see cref="KeepAxials"/>).</param>
    /// <param name="pad">Replicate-pad by half the base size before and crop after (ELEPHANT's flow prediction: off).</param>
    /// <exception cref="ArgumentException">The input is not (N, 2, D, H, W) or there are not four flags.</exception>
    public Tensor Forward(Tensor input, ReadOnlySpan<bool> keepAxials, bool pad = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        UNetSkeleton.RequireFourLevels(keepAxials);
        var shape = input.Shape;
        if (shape.Length != 5 || shape[1] != 2)
        {
            throw new ArgumentException($"The input must be (N, 2, D, H, W) (frames t and t + 1); got [{string.Join(", ", shape)}].", nameof(input));
        }

        return UNetSkeleton.Forward(input, keepAxials.ToArray(), pad, encoder, @base, decoder, outConv, logits => logits.Tanh());
    }

    private static Sequential DecoderBlock(long inChannels, long outChannels) => new(
        new Conv3d(inChannels, outChannels, 3, padding: 1), new LeakyReLU(ResidualBlock.NegativeSlope),
        new Conv3d(outChannels, outChannels, 3, padding: 1), new LeakyReLU(ResidualBlock.NegativeSlope));
}
