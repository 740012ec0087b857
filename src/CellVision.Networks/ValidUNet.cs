using CellVision.Torch;
using CellVision.Torch.Modules;

namespace CellVision.Networks;

/// <summary>
/// funlib.learn.torch's <c>UNet</c> with valid convolutions, constant (nearest) upsampling and one head: on the way down
/// each level runs a <see cref="ConvPass"/> and max-pools by its factor; on the way up the coarser map is upsampled by
/// the same factor, centre-cropped for translation equivariance (see <see cref="GetOutputSize"/>), joined to the
/// centre-cropped skip features (skip first, upsampled second) and run through the level's up <see cref="ConvPass"/>.
/// The output has <see cref="ValidUNetOptions.FeatureMaps"/> channels and is smaller than the input.
/// </summary>
/// <remarks>
/// Parameters are named as in PyTorch: <c>l_conv.{level}.conv_pass.{0,2}.weight|bias</c> for the down path and
/// <c>r_conv.0.{level}.conv_pass.{0,2}.weight|bias</c> for the up path (level 0 = top). Max pooling and nearest
/// upsampling have no parameters.
/// </remarks>
public sealed class ValidUNet : Module<Tensor, Tensor>
{
    private readonly ModuleList<ConvPass> down;
    private readonly ModuleList<ConvPass> up;

    /// <summary>Creates the network with PyTorch's default initialisation.</summary>
    /// <param name="options">The shape; null for incasem's.</param>
    /// <exception cref="ArgumentException">A setting is out of range or the kernel lists do not match the levels.</exception>
    public ValidUNet(ValidUNetOptions? options = null)
    {
        Options = options ?? new ValidUNetOptions();
        Options.Validate();
        var levels = Options.Levels;
        down = RegisterModule("l_conv", new ModuleList<ConvPass>(
            Enumerable.Range(0, levels).Select(level => new ConvPass(
                level == 0 ? Options.InputChannels : Options.FeatureMapsAt(level - 1),
                Options.FeatureMapsAt(level),
                Options.DownKernels(level)))));
        up = new ModuleList<ConvPass>(
            Enumerable.Range(0, levels - 1).Select(level => new ConvPass(
                Options.FeatureMapsAt(level) + Options.FeatureMapsAt(level + 1),
                Options.FeatureMapsAt(level),
                Options.UpKernels(level))));

        // funlib keeps one list of up passes per head; with one head they sit under r_conv.0.
        RegisterModule("r_conv", new ModuleList<ModuleList<ConvPass>>([up]));
    }

    /// <summary>The network's shape.</summary>
    public ValidUNetOptions Options { get; }

    /// <summary>
    /// Whether inference on float32 CPU tensors (gradients off) keeps the features in oneDNN's blocked layout through
    /// each convolution pass, the down path's pooling and the skip connections (default true): the convolutions then
    /// skip the reorders into and out of oneDNN and the ReLUs run in place. The output is the same up to float32 rounding
    /// (where the dense path sends a small convolution to another kernel).
    /// </summary>
    public bool BlockedLayoutInference { get; set; } = true;

    /// <summary>The down-path convolution passes, top level first.</summary>
    public IReadOnlyList<ConvPass> DownPasses => down;

    /// <summary>The up-path convolution passes, top level first (one fewer than the levels).</summary>
    public IReadOnlyList<ConvPass> UpPasses => up;

    /// <summary>
    /// The output size for an input size, Z, Y, X. Each convolution removes kernel − 1 voxels; each max pool needs a
    /// size divisible by its factor; after each upsampling the map is centre-cropped to <c>⌊(s − c) / f⌋ · f + c</c>
    /// (c: what the level's up convolutions remove, f: the product of the factors at and below the level), as funlib
    /// does so that tiles stitch without seams. incasem's network: 204 → 112 (then 110 after its final pass).
    /// </summary>
    /// <param name="inputSize">The input size.</param>
    /// <param name="trailingCrop">What valid layers after the U-Net remove (a final 3×3×3 pass: 2); default none.</param>
    /// <returns>The output size, after the trailing crop.</returns>
    /// <exception cref="ArgumentException">The size does not fit along an axis; the message names the level and the nearest sizes that fit.</exception>
    public (int Z, int Y, int X) GetOutputSize((int Z, int Y, int X) inputSize, Size3 trailingCrop = default) =>
        ValidUNetGeometry.Output(Options, inputSize, trailingCrop, nameof(inputSize));

    /// <summary>Every input size up to <paramref name="maximum"/> that fits along one axis, ascending.</summary>
    /// <param name="axis">0 for Z, 1 for Y, 2 for X.</param>
    /// <param name="maximum">The largest size to consider.</param>
    /// <param name="trailingCrop">What valid layers after the U-Net remove along that axis; default none.</param>
    /// <returns>The sizes.</returns>
    public IReadOnlyList<int> GetValidInputSizes(int axis, int maximum, int trailingCrop = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(axis);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(axis, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(trailingCrop);
        return ValidUNetGeometry.ValidInputs(Options, axis, maximum, trailingCrop);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not [batch, channels, Z, Y, X] with the configured channels, or its size does not fit.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        if (shape.Length != 5 || shape[1] != Options.InputChannels)
        {
            throw new ArgumentException($"The input must be [batch, {Options.InputChannels}, Z, Y, X]; got [{string.Join(", ", shape)}].", nameof(input));
        }

        GetOutputSize(((int)shape[2], (int)shape[3], (int)shape[4]));
        using var scope = DisposeScope.Enter();
        var blocked = BlockedLayoutInference && !GradientMode.IsEnabled && input.Device.Type == DeviceType.Cpu
            && input.ScalarType == ScalarType.Float32;
        var levels = Options.Levels;
        var skips = new Tensor[levels - 1];
        var x = blocked ? input.ToMkldnn() : input;
        for (var level = 0; level < levels; level++)
        {
            var features = down[level].Forward(x);
            if (!ReferenceEquals(x, input))
            {
                x.Dispose();
            }

            if (level == levels - 1)
            {
                x = blocked ? ToDense(features) : features;
                break;
            }

            skips[level] = features;
            var factor = Options.DownsampleFactors[level];
            x = Functional.MaxPool3d(features, factor, factor);
        }

        for (var level = levels - 2; level >= 0; level--)
        {
            var factor = Options.DownsampleFactors[level];
            var size = x.Shape;
            var upsampled = Functional.Interpolate(x, [size[2] * factor.Depth, size[3] * factor.Height, size[4] * factor.Width]);
            x.Dispose();
            var crop = up[level].Crop;
            var cropped = CenterCrop(upsampled, CropTarget(upsampled.Shape, crop, CropFactor(level)));
            var skipFeatures = blocked ? ToDense(skips[level]) : skips[level];
            var skip = CenterCrop(skipFeatures, cropped.Shape);
            var joined = Tensor.Concatenate([skip, cropped], 1);
            foreach (var used in new[] { upsampled, cropped, skip, skipFeatures }.Distinct())
            {
                used.Dispose();
            }

            if (blocked)
            {
                using var blockedJoined = joined.ToMkldnn();
                joined.Dispose();
                x = ToDense(up[level].Forward(blockedJoined));
            }
            else
            {
                x = up[level].Forward(joined);
                joined.Dispose();
            }
        }

        return scope.MoveToOuter(x);
    }

    private static Tensor ToDense(Tensor blocked)
    {
        var dense = blocked.ToDense();
        blocked.Dispose();
        return dense;
    }

    private Size3 CropFactor(int level)
    {
        var (z, y, x) = (1L, 1L, 1L);
        for (var i = level; i < Options.DownsampleFactors.Count; i++)
        {
            var factor = Options.DownsampleFactors[i];
            (z, y, x) = (z * factor.Depth, y * factor.Height, x * factor.Width);
        }

        return new Size3(z, y, x);
    }

    private static long[] CropTarget(long[] shape, Size3 crop, Size3 factor)
    {
        static long Target(long size, long crop, long factor) => ((size - crop) / factor * factor) + crop;
        return [Target(shape[2], crop.Depth, factor.Depth), Target(shape[3], crop.Height, factor.Height), Target(shape[4], crop.Width, factor.Width)];
    }

    /// <summary>A view of the centre of <paramref name="tensor"/>'s last three axes, the left margin being ⌊(a − b) / 2⌋.</summary>
    private static Tensor CenterCrop(Tensor tensor, ReadOnlySpan<long> target)
    {
        var shape = tensor.Shape;
        var offset = target.Length - 3;
        if (shape[2] == target[offset] && shape[3] == target[offset + 1] && shape[4] == target[offset + 2])
        {
            return tensor;
        }

        using var scope = DisposeScope.Enter();
        var view = tensor;
        for (var axis = 0; axis < 3; axis++)
        {
            var length = target[offset + axis];
            view = view.Narrow(axis + 2, (shape[axis + 2] - length) / 2, length);
        }

        return scope.MoveToOuter(view);
    }
}
