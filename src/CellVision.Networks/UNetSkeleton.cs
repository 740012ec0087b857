using CellVision.Torch;
using CellVision.Torch.Modules;

namespace CellVision.Networks;

/// <summary>
/// The forward pass that ELEPHANT's detection and flow networks share: resize to a multiple of the base size
/// (2^zPoolings, 16, 16) trilinearly (align corners), optional replicate padding by half the base size, four encoder
/// levels with keep-axial max pooling, the base, four decoder levels with nearest upsampling (skip tensor first in each
/// concatenation), the output convolution and its activation, then the crop and resize back.
/// </summary>
public static class UNetSkeleton
{
    /// <summary>Throws unless there is one keep-axial flag per level (4).</summary>
    public static void RequireFourLevels(ReadOnlySpan<bool> keepAxials)
    {
        if (keepAxials.Length != 4)
        {
            throw new ArgumentException($"keepAxials needs one flag per level (4); got {keepAxials.Length}.", nameof(keepAxials));
        }
    }

    /// <summary>Runs the network on a validated (N, C, D, H, W) input; the result belongs to the caller's dispose scope.</summary>
    /// <param name="input">The network input; it is not disposed.</param>
    /// <param name="keep">Four flags: level i pools (1, 2, 2) when true, (2, 2, 2) when false.</param>
    /// <param name="pad">Replicate-pad by half the base size before and crop after.</param>
    /// <param name="encoder">The four encoder blocks.</param>
    /// <param name="base">The base block.</param>
    /// <param name="decoder">The four decoder blocks.</param>
    /// <param name="outConv">The output convolution.</param>
    /// <param name="activation">Maps the output convolution's result to the network output (a new tensor).</param>
    public static Tensor Forward(
        Tensor input,
        bool[] keep,
        bool pad,
        IReadOnlyList<Module<Tensor, Tensor>> encoder,
        Module<Tensor, Tensor> @base,
        IReadOnlyList<Module<Tensor, Tensor>> decoder,
        Conv3d outConv,
        Func<Tensor, Tensor> activation)
    {
        var shape = input.Shape;
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
            var padded = x.Pad([half[2], half[2], half[1], half[1], half[0], half[0]], PaddingMode.Replicate);
            Release(x, input);
            x = padded;
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
        x = activation(logits);
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
}
