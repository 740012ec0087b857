using CellVision.Networks;
using CellVision.Torch.Modules;
using CellVision.Torch.Serialization;
using CellVision.Torch;

namespace CellVision.Detection;

/// <summary>
/// ELEPHANT's 3-class detection U-Net (5,887,011 parameters): four encoder levels of 16/32/64/128 channels, a 256-channel
/// base, decoders back to 16 and a 1×1×1 output convolution to log-probabilities of background (0), nucleus border (1)
/// and nucleus centre (2). Each block is conv → ReLU → GroupNorm → conv → ReLU → GroupNorm. Parameter names equal
/// ELEPHANT's state dict keys (<c>encoder.0.0.weight</c> … <c>out_conv.bias</c>), so its <c>.pth</c> files load.
/// </summary>
public sealed class DetectionUNet : Module
{
    private readonly ModuleList<Sequential> encoder;
    private readonly Sequential @base;
    private readonly ModuleList<Sequential> decoder;
    private readonly Conv3d outConv;

    /// <summary>Creates the network with ELEPHANT's initialisation (Kaiming normal, fan-in, zero biases; GroupNorm 1 and 0).</summary>
    public DetectionUNet()
    {
        encoder = RegisterModule("encoder", new ModuleList<Sequential>(Block(1, 16), Block(16, 32), Block(32, 64), Block(64, 128)));
        @base = RegisterModule("base", Block(128, 256));
        decoder = RegisterModule("decoder", new ModuleList<Sequential>(Block(384, 128), Block(192, 64), Block(96, 32), Block(48, 16)));
        outConv = RegisterModule("out_conv", new Conv3d(16, 3, 1));
        foreach (var conv in Convolutions())
        {
            Init.KaimingNormal(conv.Weight, mode: FanMode.FanIn);
            Init.Zeros(conv.Bias!);
        }
    }

    /// <summary>
    /// Loads the models of a <c>.pth</c> file: one for a state dict, one per entry for a list of state dicts (how
    /// ELEPHANT stores an ensemble, whose probabilities <see cref="DetectionPredictor"/> averages).
    /// </summary>
    /// <param name="path">The file, written by <c>torch.save</c> or <see cref="PthFile.Save(string, object?)"/>.</param>
    /// <returns>The models; the caller disposes them.</returns>
    /// <exception cref="PthFormatException">The file is neither a state dict nor a list of them, or is corrupt.</exception>
    /// <exception cref="ArgumentException">A state dict does not fit the detection U-Net (missing, unexpected or misshapen keys).</exception>
    public static IReadOnlyList<DetectionUNet> LoadEnsemble(string path) => EnsembleFile.Load(path, () => new DetectionUNet());

    /// <summary>The convolutions in registration order (encoder, base, decoder, output), as PyTorch's <c>modules()</c> visits them.</summary>
    public IEnumerable<Conv3d> Convolutions() =>
        encoder.Concat([@base]).Concat(decoder).SelectMany(block => new[] { (Conv3d)block[0], (Conv3d)block[3] }).Append(outConv);

    /// <summary>
    /// Log-probabilities (N, 3, D, H, W) for input (N, 1, D, H, W). Inputs whose size is not a multiple of the base size
    /// (2^zPoolings, 16, 16) are resized there trilinearly (align corners) and the log-probabilities resized back.
    /// </summary>
    /// <param name="input">Normalised intensities, (N, 1, D, H, W).</param>
    /// <param name="keepAxials">Four flags: level i pools (1, 2, 2) when true, (2, 2, 2) when false (see <see cref="KeepAxials"/>).</param>
    /// <param name="pad">Replicate-pad by half the base size before and crop after ("mitigate edge discontinuities").</param>
    public Tensor Forward(Tensor input, ReadOnlySpan<bool> keepAxials, bool pad = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        UNetSkeleton.RequireFourLevels(keepAxials);
        var shape = input.Shape;
        if (shape.Length != 5 || shape[1] != 1)
        {
            throw new ArgumentException($"The input must be (N, 1, D, H, W); got [{string.Join(", ", shape)}].", nameof(input));
        }

        return UNetSkeleton.Forward(input, keepAxials.ToArray(), pad, encoder, @base, decoder, outConv, logits => logits.LogSoftmax(1));
    }

    private static Sequential Block(long inChannels, long outChannels)
    {
        var groups = Math.Min(32, outChannels);
        return new Sequential(
            new Conv3d(inChannels, outChannels, 3, padding: 1), new ReLU(inPlace: true), new GroupNorm(groups, outChannels),
            new Conv3d(outChannels, outChannels, 3, padding: 1), new ReLU(inPlace: true), new GroupNorm(groups, outChannels));
    }
}
