using CellVision.Torch;
using CellVision.Torch.Modules;

namespace CellVision.Detection.Models;

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
        if (keepAxials.Length != 4)
        {
            throw new ArgumentException($"keepAxials needs one flag per level (4); got {keepAxials.Length}.", nameof(keepAxials));
        }

        var shape = input.Shape;
        if (shape.Length != 5 || shape[1] != 1)
        {
            throw new ArgumentException($"The input must be (N, 1, D, H, W); got [{string.Join(", ", shape)}].", nameof(input));
        }

        var keep = keepAxials.ToArray();
        using var scope = DisposeScope.Enter();
        var zPoolings = keep.Count(k => !k);
        long[] baseSize = [1L << zPoolings, 16, 16];
        long[] original = [shape[2], shape[3], shape[4]];
        long[] target = [.. original.Select((s, i) => (s + baseSize[i] - 1) / baseSize[i] * baseSize[i])];
        var resized = !original.SequenceEqual(target);
        var x = resized ? Functional.Interpolate(input, target, InterpolationMode.Trilinear, alignCorners: true) : input;
        long[] half = [.. baseSize.Select(b => b / 2)];
        if (pad)
        {
            x = x.Pad([half[2], half[2], half[1], half[1], half[0], half[0]], PaddingMode.Replicate);
        }

        // Intermediates are released as soon as they are consumed (as Python's reference counting does), which keeps
        // the peak memory of a large patch close to the reference's.
        var skips = new Tensor[4];
        for (var level = 0; level < 4; level++)
        {
            var features = encoder[level].Forward(x);
            Release(x, input);
            skips[level] = features;
            x = Functional.MaxPool3d(features, keep[level] ? (1, 2, 2) : (2, 2, 2));
        }

        var deepest = @base.Forward(x);
        x.Dispose();
        x = deepest;
        for (var level = 0; level < 4; level++)
        {
            var upsampled = Functional.Interpolate(x, keep[3 - level] ? [1.0, 2.0, 2.0] : [2.0, 2.0, 2.0]);
            x.Dispose();
            var joined = Tensor.Concatenate([skips[3 - level], upsampled], 1);
            upsampled.Dispose();
            skips[3 - level].Dispose();
            x = decoder[level].Forward(joined);
            joined.Dispose();
        }

        var logits = outConv.Forward(x);
        x.Dispose();
        x = logits.LogSoftmax(1);
        logits.Dispose();
        if (pad)
        {
            var size = x.Shape;
            x = x.Narrow(2, half[0], size[2] - (2 * half[0])).Narrow(3, half[1], size[3] - (2 * half[1])).Narrow(4, half[2], size[4] - (2 * half[2]));
        }

        if (resized)
        {
            x = Functional.Interpolate(x, original, InterpolationMode.Trilinear, alignCorners: true);
        }

        return scope.MoveToOuter(x);
    }

    private static void Release(Tensor tensor, Tensor input)
    {
        if (!ReferenceEquals(tensor, input))
        {
            tensor.Dispose();
        }
    }

    private static Sequential Block(long inChannels, long outChannels)
    {
        var groups = Math.Min(32, outChannels);
        return new Sequential(
            new Conv3d(inChannels, outChannels, 3, padding: 1), new ReLU(), new GroupNorm(groups, outChannels),
            new Conv3d(outChannels, outChannels, 3, padding: 1), new ReLU(), new GroupNorm(groups, outChannels));
    }
}
