using CellVision.Torch.Native;

namespace CellVision.Torch;

/// <summary>How <see cref="Functional.Interpolate(Tensor, ReadOnlySpan{long}, InterpolationMode, bool?)"/> resamples.</summary>
public enum InterpolationMode
{
    /// <summary>Nearest neighbour (PyTorch's legacy "nearest").</summary>
    Nearest = 0,

    /// <summary>Linear along one axis (3D input).</summary>
    Linear = 1,

    /// <summary>Bilinear (4D input).</summary>
    Bilinear = 2,

    /// <summary>Trilinear (5D input).</summary>
    Trilinear = 3,
}

/// <summary>How <see cref="Functional.GridSample"/> reads between voxels.</summary>
public enum GridSampleMode
{
    /// <summary>(Tri)linear interpolation.</summary>
    Bilinear = 0,

    /// <summary>Nearest voxel.</summary>
    Nearest = 1,

    /// <summary>Bicubic (4D input only).</summary>
    Bicubic = 2,
}

/// <summary>What <see cref="Functional.GridSample"/> reads outside the input.</summary>
public enum GridSamplePadding
{
    /// <summary>Zeros.</summary>
    Zeros = 0,

    /// <summary>The nearest border value.</summary>
    Border = 1,

    /// <summary>The input mirrored at its border.</summary>
    Reflection = 2,
}

/// <summary>Stateless neural-network functions, as <c>torch.nn.functional</c>. Inputs are (N, C, D, H, W) for 3D and (N, C, H, W) for 2D.</summary>
public static unsafe class Functional
{
    /// <summary>2D convolution.</summary>
    /// <param name="input">(N, C_in, H, W).</param>
    /// <param name="weight">(C_out, C_in / groups, kH, kW).</param>
    /// <param name="bias">(C_out), or null.</param>
    /// <param name="stride">Step (default 1).</param>
    /// <param name="padding">Zero padding on each side (default 0).</param>
    /// <param name="dilation">Kernel spacing (default 1).</param>
    /// <param name="groups">Channel groups.</param>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, Size2? stride = null, Size2? padding = null, Size2? dilation = null, long groups = 1)
    {
        long* s = stackalloc long[2];
        long* p = stackalloc long[2];
        long* d = stackalloc long[2];
        Fill(s, stride ?? 1);
        Fill(p, padding ?? 0);
        Fill(d, dilation ?? 1);
        return Tensor.Result(NativeMethods.cvt_conv2d(In(input), In(weight), Tensor.HandleOf(bias), s, p, d, groups, out var r), r);
    }

    /// <summary>3D convolution.</summary>
    /// <param name="input">(N, C_in, D, H, W).</param>
    /// <param name="weight">(C_out, C_in / groups, kD, kH, kW).</param>
    /// <param name="bias">(C_out), or null.</param>
    /// <param name="stride">Step (default 1).</param>
    /// <param name="padding">Zero padding on each side (default 0).</param>
    /// <param name="dilation">Kernel spacing (default 1).</param>
    /// <param name="groups">Channel groups.</param>
    public static Tensor Conv3d(Tensor input, Tensor weight, Tensor? bias = null, Size3? stride = null, Size3? padding = null, Size3? dilation = null, long groups = 1)
    {
        long* s = stackalloc long[3];
        long* p = stackalloc long[3];
        long* d = stackalloc long[3];
        Fill(s, stride ?? 1);
        Fill(p, padding ?? 0);
        Fill(d, dilation ?? 1);
        return Tensor.Result(NativeMethods.cvt_conv3d(In(input), In(weight), Tensor.HandleOf(bias), s, p, d, groups, out var r), r);
    }

    /// <summary>3D transposed convolution (the gradient of <see cref="Conv3d"/>; used for learned upsampling).</summary>
    /// <param name="input">(N, C_in, D, H, W).</param>
    /// <param name="weight">(C_in, C_out / groups, kD, kH, kW).</param>
    /// <param name="bias">(C_out), or null.</param>
    /// <param name="stride">Step (default 1).</param>
    /// <param name="padding">Implicit padding removed from the output (default 0).</param>
    /// <param name="outputPadding">Extra size added on one side of the output (default 0).</param>
    /// <param name="dilation">Kernel spacing (default 1).</param>
    /// <param name="groups">Channel groups.</param>
    public static Tensor ConvTranspose3d(Tensor input, Tensor weight, Tensor? bias = null, Size3? stride = null, Size3? padding = null, Size3? outputPadding = null, Size3? dilation = null, long groups = 1)
    {
        long* s = stackalloc long[3];
        long* p = stackalloc long[3];
        long* o = stackalloc long[3];
        long* d = stackalloc long[3];
        Fill(s, stride ?? 1);
        Fill(p, padding ?? 0);
        Fill(o, outputPadding ?? 0);
        Fill(d, dilation ?? 1);
        return Tensor.Result(NativeMethods.cvt_conv_transpose3d(In(input), In(weight), Tensor.HandleOf(bias), s, p, o, d, groups, out var r), r);
    }

    /// <summary>2D max pooling.</summary>
    /// <param name="input">(N, C, H, W).</param>
    /// <param name="kernelSize">Window size.</param>
    /// <param name="stride">Step (default: the window size).</param>
    /// <param name="padding">Implicit −∞ padding (default 0).</param>
    /// <param name="dilation">Window spacing (default 1).</param>
    /// <param name="ceilMode">Round the output size up.</param>
    public static Tensor MaxPool2d(Tensor input, Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? dilation = null, bool ceilMode = false)
    {
        long* k = stackalloc long[2];
        long* s = stackalloc long[2];
        long* p = stackalloc long[2];
        long* d = stackalloc long[2];
        Fill(k, kernelSize);
        Fill(s, stride ?? kernelSize);
        Fill(p, padding ?? 0);
        Fill(d, dilation ?? 1);
        return Tensor.Result(NativeMethods.cvt_max_pool2d(In(input), k, s, p, d, ceilMode ? 1 : 0, out var r), r);
    }

    /// <summary>3D max pooling.</summary>
    /// <param name="input">(N, C, D, H, W).</param>
    /// <param name="kernelSize">Window size.</param>
    /// <param name="stride">Step (default: the window size).</param>
    /// <param name="padding">Implicit −∞ padding (default 0).</param>
    /// <param name="dilation">Window spacing (default 1).</param>
    /// <param name="ceilMode">Round the output size up.</param>
    public static Tensor MaxPool3d(Tensor input, Size3 kernelSize, Size3? stride = null, Size3? padding = null, Size3? dilation = null, bool ceilMode = false)
    {
        long* k = stackalloc long[3];
        long* s = stackalloc long[3];
        long* p = stackalloc long[3];
        long* d = stackalloc long[3];
        Fill(k, kernelSize);
        Fill(s, stride ?? kernelSize);
        Fill(p, padding ?? 0);
        Fill(d, dilation ?? 1);
        return Tensor.Result(NativeMethods.cvt_max_pool3d(In(input), k, s, p, d, ceilMode ? 1 : 0, out var r), r);
    }

    /// <summary>3D average pooling.</summary>
    /// <param name="input">(N, C, D, H, W).</param>
    /// <param name="kernelSize">Window size.</param>
    /// <param name="stride">Step (default: the window size).</param>
    /// <param name="padding">Implicit zero padding (default 0).</param>
    /// <param name="ceilMode">Round the output size up.</param>
    /// <param name="countIncludePad">Count padded zeros in the average (PyTorch default true).</param>
    public static Tensor AvgPool3d(Tensor input, Size3 kernelSize, Size3? stride = null, Size3? padding = null, bool ceilMode = false, bool countIncludePad = true)
    {
        long* k = stackalloc long[3];
        long* s = stackalloc long[3];
        long* p = stackalloc long[3];
        Fill(k, kernelSize);
        Fill(s, stride ?? kernelSize);
        Fill(p, padding ?? 0);
        return Tensor.Result(NativeMethods.cvt_avg_pool3d(In(input), k, s, p, ceilMode ? 1 : 0, countIncludePad ? 1 : 0, out var r), r);
    }

    /// <summary>Group normalisation: normalises each group of channels per sample, then scales and shifts per channel.</summary>
    /// <param name="input">(N, C, ...).</param>
    /// <param name="groups">Number of groups; must divide C.</param>
    /// <param name="weight">(C) scale, or null.</param>
    /// <param name="bias">(C) shift, or null.</param>
    /// <param name="epsilon">Added to the variance (PyTorch default 1e-5).</param>
    public static Tensor GroupNorm(Tensor input, long groups, Tensor? weight = null, Tensor? bias = null, double epsilon = 1e-5) =>
        Tensor.Result(NativeMethods.cvt_group_norm(In(input), groups, Tensor.HandleOf(weight), Tensor.HandleOf(bias), epsilon, out var r), r);

    /// <summary>Batch normalisation; in training it uses batch statistics and updates the running ones in place.</summary>
    /// <param name="input">(N, C, ...).</param>
    /// <param name="runningMean">(C) running mean, or null.</param>
    /// <param name="runningVariance">(C) running variance, or null.</param>
    /// <param name="weight">(C) scale, or null.</param>
    /// <param name="bias">(C) shift, or null.</param>
    /// <param name="training">Use batch statistics.</param>
    /// <param name="momentum">Weight of the new batch in the running statistics (PyTorch default 0.1).</param>
    /// <param name="epsilon">Added to the variance (PyTorch default 1e-5).</param>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVariance, Tensor? weight = null, Tensor? bias = null, bool training = false, double momentum = 0.1, double epsilon = 1e-5) =>
        Tensor.Result(NativeMethods.cvt_batch_norm(In(input), Tensor.HandleOf(weight), Tensor.HandleOf(bias), Tensor.HandleOf(runningMean), Tensor.HandleOf(runningVariance), training ? 1 : 0, momentum, epsilon, out var r), r);

    /// <summary>Instance normalisation: normalises each channel of each sample.</summary>
    /// <param name="input">(N, C, ...).</param>
    /// <param name="runningMean">(C) running mean, or null.</param>
    /// <param name="runningVariance">(C) running variance, or null.</param>
    /// <param name="weight">(C) scale, or null.</param>
    /// <param name="bias">(C) shift, or null.</param>
    /// <param name="useInputStatistics">Use the statistics of the input (PyTorch default true).</param>
    /// <param name="momentum">Weight of the new sample in the running statistics (PyTorch default 0.1).</param>
    /// <param name="epsilon">Added to the variance (PyTorch default 1e-5).</param>
    public static Tensor InstanceNorm(Tensor input, Tensor? runningMean = null, Tensor? runningVariance = null, Tensor? weight = null, Tensor? bias = null, bool useInputStatistics = true, double momentum = 0.1, double epsilon = 1e-5) =>
        Tensor.Result(NativeMethods.cvt_instance_norm(In(input), Tensor.HandleOf(weight), Tensor.HandleOf(bias), Tensor.HandleOf(runningMean), Tensor.HandleOf(runningVariance), useInputStatistics ? 1 : 0, momentum, epsilon, out var r), r);

    /// <summary>Affine map <c>x Wᵀ + b</c> over the last dimension (on oneDNN inside <see cref="LinearKernels.ForceOneDnn"/>, for large inputs).</summary>
    /// <param name="input">(..., in_features).</param>
    /// <param name="weight">(out_features, in_features).</param>
    /// <param name="bias">(out_features), or null.</param>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        return LinearKernels.Reroutes(input, weight, bias)
            ? LinearKernels.Convolve(input, weight, bias)
            : Tensor.Result(NativeMethods.cvt_linear(In(input), In(weight), Tensor.HandleOf(bias), out var r), r);
    }

    /// <summary>Zeroes elements with probability <paramref name="probability"/> and scales the rest by 1/(1−p) while training.</summary>
    /// <param name="input">Any tensor.</param>
    /// <param name="probability">Probability of zeroing (PyTorch default 0.5).</param>
    /// <param name="training">Apply dropout; when false the input passes through.</param>
    public static Tensor Dropout(Tensor input, double probability = 0.5, bool training = true)
    {
        if (probability is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Dropout probability must lie in [0, 1].");
        }

        return Tensor.Result(NativeMethods.cvt_dropout(In(input), probability, training ? 1 : 0, out var r), r);
    }

    /// <summary>Resamples the spatial dimensions to <paramref name="size"/>, as <c>F.interpolate(size=...)</c>.</summary>
    /// <param name="input">(N, C, [D,] [H,] W).</param>
    /// <param name="size">Output size of each spatial dimension.</param>
    /// <param name="mode">Resampling method.</param>
    /// <param name="alignCorners">For linear modes: align corner voxel centres (PyTorch default false); must be null for nearest.</param>
    public static Tensor Interpolate(Tensor input, ReadOnlySpan<long> size, InterpolationMode mode = InterpolationMode.Nearest, bool? alignCorners = null)
    {
        CheckAlignCorners(mode, alignCorners);
        fixed (long* s = size)
        {
            return Tensor.Result(NativeMethods.cvt_interpolate(In(input), s, size.Length, null, 0, (int)mode, AlignCode(mode, alignCorners), out var r), r);
        }
    }

    /// <summary>Resamples the spatial dimensions by <paramref name="scaleFactors"/>, as <c>F.interpolate(scale_factor=...)</c>.</summary>
    /// <param name="input">(N, C, [D,] [H,] W).</param>
    /// <param name="scaleFactors">Factor of each spatial dimension.</param>
    /// <param name="mode">Resampling method.</param>
    /// <param name="alignCorners">For linear modes: align corner voxel centres (PyTorch default false); must be null for nearest.</param>
    public static Tensor Interpolate(Tensor input, ReadOnlySpan<double> scaleFactors, InterpolationMode mode = InterpolationMode.Nearest, bool? alignCorners = null)
    {
        CheckAlignCorners(mode, alignCorners);
        fixed (double* f = scaleFactors)
        {
            return Tensor.Result(NativeMethods.cvt_interpolate(In(input), null, 0, f, scaleFactors.Length, (int)mode, AlignCode(mode, alignCorners), out var r), r);
        }
    }

    /// <summary>Samples <paramref name="input"/> at normalised positions in [−1, 1], as <c>F.grid_sample</c>.</summary>
    /// <param name="input">(N, C, D, H, W) or (N, C, H, W).</param>
    /// <param name="grid">(N, D', H', W', 3) or (N, H', W', 2) positions, x first.</param>
    /// <param name="mode">How to read between voxels.</param>
    /// <param name="padding">What to read outside.</param>
    /// <param name="alignCorners">Whether −1 and 1 are the centres (true) or the outer edges (false, PyTorch default) of the corner voxels.</param>
    public static Tensor GridSample(Tensor input, Tensor grid, GridSampleMode mode = GridSampleMode.Bilinear, GridSamplePadding padding = GridSamplePadding.Zeros, bool alignCorners = false) =>
        Tensor.Result(NativeMethods.cvt_grid_sample(In(input), In(grid), (int)mode, (int)padding, alignCorners ? 1 : 0, out var r), r);

    private static void CheckAlignCorners(InterpolationMode mode, bool? alignCorners)
    {
        if (mode == InterpolationMode.Nearest && alignCorners.HasValue)
        {
            throw new ArgumentException("alignCorners applies only to linear, bilinear and trilinear interpolation; leave it null for nearest.", nameof(alignCorners));
        }
    }

    private static int AlignCode(InterpolationMode mode, bool? alignCorners) =>
        mode == InterpolationMode.Nearest ? -1 : (alignCorners ?? false) ? 1 : 0;

    private static void Fill(long* destination, Size3 size)
    {
        destination[0] = size.Depth;
        destination[1] = size.Height;
        destination[2] = size.Width;
    }

    private static void Fill(long* destination, Size2 size)
    {
        destination[0] = size.Height;
        destination[1] = size.Width;
    }

    internal static TensorHandle In(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.Handle;
    }
}
