using CellVision.Torch;
using CellVision.Torch.Modules;
using CellVision.Torch.Serialization;

namespace CellVision.Detection;

/// <summary>
/// ELEPHANT's 2-D detection U-Net (<c>UNet.three_class_segmentation(is_3d=False)</c>, 1,965,315 parameters): the
/// layers of <see cref="DetectionUNet"/> with 3×3 convolutions, 2×2 max pooling and ×2 nearest upsampling, base size
/// 16 × 16 (bilinear resize to a multiple of it, replicate padding by 8). Parameter names equal ELEPHANT's state dict
/// keys, so its 2-D <c>.pth</c> files (e.g. <c>versatile2d.pth</c>) load. ELEPHANT applies it to 2-D frames, and with
/// "use 2D model" to each Z slice of a 3-D frame (<see cref="SliceWiseDetectionPredictor"/>).
/// </summary>
public sealed class DetectionUNet2D : Module
{
    private const int BaseSize = 16;
    private readonly ModuleList<Sequential> encoder;
    private readonly Sequential @base;
    private readonly ModuleList<Sequential> decoder;
    private readonly Conv2d outConv;

    /// <summary>Creates the network with ELEPHANT's initialisation (Kaiming normal, fan-in, zero biases; GroupNorm 1 and 0).</summary>
    public DetectionUNet2D()
    {
        encoder = RegisterModule("encoder", new ModuleList<Sequential>(Block(1, 16), Block(16, 32), Block(32, 64), Block(64, 128)));
        @base = RegisterModule("base", Block(128, 256));
        decoder = RegisterModule("decoder", new ModuleList<Sequential>(Block(384, 128), Block(192, 64), Block(96, 32), Block(48, 16)));
        outConv = RegisterModule("out_conv", new Conv2d(16, 3, 1));
        foreach (var conv in Convolutions())
        {
            Init.KaimingNormal(conv.Weight, mode: FanMode.FanIn);
            Init.Zeros(conv.Bias!);
        }
    }

    /// <summary>Loads the 2-D models of a <c>.pth</c> file: a state dict, or a list of them (an ensemble).</summary>
    /// <param name="path">The file, written by <c>torch.save</c> or <see cref="PthFile.Save(string, object?)"/>.</param>
    /// <returns>The models; the caller disposes them.</returns>
    /// <exception cref="PthFormatException">The file is neither a state dict nor a list of them, or is corrupt.</exception>
    /// <exception cref="ArgumentException">A state dict does not fit the 2-D detection U-Net (e.g. a 3-D one).</exception>
    public static IReadOnlyList<DetectionUNet2D> LoadEnsemble(string path) => EnsembleFile.Load(path, () => new DetectionUNet2D());

    /// <summary>The convolutions in registration order (encoder, base, decoder, output).</summary>
    public IEnumerable<Conv2d> Convolutions() =>
        encoder.Concat([@base]).Concat(decoder).SelectMany(block => new[] { (Conv2d)block[0], (Conv2d)block[3] }).Append(outConv);

    /// <summary>
    /// Log-probabilities (N, 3, H, W) of background, border and centre for input (N, 1, H, W). Inputs whose size is
    /// not a multiple of 16 are resized there bilinearly (align corners) and the log-probabilities resized back.
    /// </summary>
    /// <param name="input">Normalised intensities, (N, 1, H, W).</param>
    /// <param name="pad">Replicate-pad by 8 before and crop after ("mitigate edge discontinuities").</param>
    public Tensor Forward(Tensor input, bool pad = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        if (shape.Length != 4 || shape[1] != 1)
        {
            throw new ArgumentException($"The input must be (N, 1, H, W); got [{string.Join(", ", shape)}].", nameof(input));
        }

        using var scope = DisposeScope.Enter();
        long[] original = [shape[2], shape[3]];
        long[] target = [.. original.Select(s => (s + BaseSize - 1) / BaseSize * BaseSize)];
        var resized = !original.SequenceEqual(target);
        var x = resized ? Functional.Interpolate(input, target, InterpolationMode.Bilinear, alignCorners: true) : input;
        const long Half = BaseSize / 2;
        if (pad)
        {
            x = x.Pad([Half, Half, Half, Half], PaddingMode.Replicate);
        }

        var skips = new Tensor[4];
        for (var level = 0; level < 4; level++)
        {
            skips[level] = encoder[level].Forward(x);
            x = Functional.MaxPool2d(skips[level], 2);
        }

        x = @base.Forward(x);
        for (var level = 0; level < 4; level++)
        {
            var upsampled = Functional.Interpolate(x, [2.0, 2.0]);
            x = decoder[level].Forward(Tensor.Concatenate([skips[3 - level], upsampled], 1));
        }

        x = outConv.Forward(x).LogSoftmax(1);
        if (pad)
        {
            var size = x.Shape;
            x = x.Narrow(2, Half, size[2] - (2 * Half)).Narrow(3, Half, size[3] - (2 * Half));
        }

        if (resized)
        {
            x = Functional.Interpolate(x, original, InterpolationMode.Bilinear, alignCorners: true);
        }

        return scope.MoveToOuter(x);
    }

    private static Sequential Block(long inChannels, long outChannels)
    {
        var groups = Math.Min(32, outChannels);
        return new Sequential(
            new Conv2d(inChannels, outChannels, 3, padding: 1), new ReLU(inPlace: true), new GroupNorm(groups, outChannels),
            new Conv2d(outChannels, outChannels, 3, padding: 1), new ReLU(inPlace: true), new GroupNorm(groups, outChannels));
    }
}
