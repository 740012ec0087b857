using CellVision.Torch;

namespace CellVision.Tracking;

/// <summary>
/// ELEPHANT's flow loss (<c>FlowLoss</c>, current normalised form): <c>(1·L_inst + 0.01·L_ssim + 0.01·L_smooth) / 1.02</c>.
/// <list type="bullet">
/// <item><c>L_inst = Σ_d w_d · mean over labelled voxels |pred_d − label_d|</c> (mask over the whole batch).</item>
/// <item><c>L_ssim = 1 − SSIM3D(I_t, warp)</c> with <c>warp = grid_sample(I_t+1, grid − flow, trilinear, zeros,
/// align corners)</c>, <c>grid</c> = linspace(−1, 1) per axis and <c>flow = pred · norm / (size / 2)</c> per axis.
/// SSIM3D uses a 3×7×7 window built from Gaussians (σ 1.5) as z²·y·x normalised to sum 1, padding (1, 3, 3),
/// C1 = 0.01², C2 = 0.03², averaged where both local means are non-zero.</item>
/// <item><c>L_smooth = mean |pred − G(up(G₂(pred)))|</c>: depthwise Gaussian (3×5×5, σ (1, 8, 8), padding (1, 2, 2)) with
/// stride 2, nearest upsampling, the same Gaussian with stride 1.</item>
/// </list>
/// </summary>
public sealed class FlowLoss
{
    private const double C1 = 0.01 * 0.01;
    private const double C2 = 0.03 * 0.03;
    private readonly double[] weights;
    private readonly FlowNormFactor warp;

    /// <summary>Creates the loss.</summary>
    /// <param name="options">Dimension weights and warp factor; null for ELEPHANT's defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative or not finite, they sum to 0, or the warp factor is not positive.</exception>
    public FlowLoss(FlowLossOptions? options = null)
    {
        options ??= new FlowLossOptions();
        var (wx, wy, wz) = options.DimensionWeights;
        double[] weights = [wx, wy, wz];
        if (weights.Any(w => !double.IsFinite(w) || w < 0) || !(weights.Sum() > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.DimensionWeights, "Dimension weights must be finite, non-negative and not all 0.");
        }

        var sum = weights.Sum();
        this.weights = [.. weights.Select(w => w / sum)];
        warp = options.WarpNormFactor.Validate();
    }

    /// <summary>
    /// The loss of a batch, or null when no voxel is labelled. Temporaries belong to the caller's <see cref="DisposeScope"/>.
    /// </summary>
    /// <param name="prediction">Network output (N, 3, D, H, W): normalised dx, dy, dz.</param>
    /// <param name="labels">(N, 4, D, H, W): normalised dx, dy, dz and the mask (labelled where &gt; 0).</param>
    /// <param name="frames">(N, 2, D, H, W): frames t and t + 1 as fed to the network.</param>
    /// <exception cref="ArgumentException">The shapes do not fit together.</exception>
    public Tensor? Compute(Tensor prediction, Tensor labels, Tensor frames)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(frames);
        var shape = prediction.Shape;
        if (shape.Length != 5 || shape[1] != 3)
        {
            throw new ArgumentException($"The prediction must be (N, 3, D, H, W); got [{string.Join(", ", shape)}].", nameof(prediction));
        }

        long[] labelShape = [shape[0], 4, shape[2], shape[3], shape[4]];
        long[] frameShape = [shape[0], 2, shape[2], shape[3], shape[4]];
        if (!labels.Shape.AsSpan().SequenceEqual(labelShape))
        {
            throw new ArgumentException($"The labels must be [{string.Join(", ", labelShape)}]; got [{string.Join(", ", labels.Shape)}].", nameof(labels));
        }

        if (!frames.Shape.AsSpan().SequenceEqual(frameShape))
        {
            throw new ArgumentException($"The frames must be [{string.Join(", ", frameShape)}]; got [{string.Join(", ", frames.Shape)}].", nameof(frames));
        }

        var mask = (labels.Select(1, 3) > 0).To(ScalarType.Float32);
        var count = mask.Sum();
        if (count.ToScalar() == 0)
        {
            return null;
        }

        var difference = (prediction - labels.Narrow(1, 0, 3)).Abs();
        Tensor? instance = null;
        for (var d = 0; d < 3; d++)
        {
            var term = (difference.Select(1, d) * mask).Sum() / count * weights[d];
            instance = instance is null ? term : instance + term;
        }

        var ssim = 1.0 - Ssim3d(frames.Narrow(1, 0, 1), Warp(prediction, frames.Narrow(1, 1, 1)));
        var smooth = Smoothness(prediction);
        return (instance! * (1 / 1.02)) + (ssim * (0.01 / 1.02)) + (smooth * (0.01 / 1.02));
    }

    /// <summary>Frame t + 1 sampled at <c>grid − flow</c> (ELEPHANT's warp, including its size / 2 scaling).</summary>
    internal Tensor Warp(Tensor prediction, Tensor next)
    {
        var (depth, height, width) = (prediction.Size(2), prediction.Size(3), prediction.Size(4));
        var device = prediction.Device;
        var factors = Tensor.FromSpan<float>([(float)(warp.X / (width / 2.0)), (float)(warp.Y / (height / 2.0)), (float)(warp.Z / (depth / 2.0))], [3]).To(device);
        var flow = prediction.Permute(0, 2, 3, 4, 1) * factors;
        long[] full = [depth, height, width];
        var gx = Tensor.Linspace(-1, 1, width, device: device).Reshape(1, 1, width).Expand(full);
        var gy = Tensor.Linspace(-1, 1, height, device: device).Reshape(1, height, 1).Expand(full);
        var gz = Tensor.Linspace(-1, 1, depth, device: device).Reshape(depth, 1, 1).Expand(full);
        var grid = Tensor.Stack([gx, gy, gz], 3).Unsqueeze(0);
        return Functional.GridSample(next, grid - flow, GridSampleMode.Bilinear, GridSamplePadding.Zeros, alignCorners: true);
    }

    /// <summary>ELEPHANT's SSIM3D of two (N, 1, D, H, W) images, averaged where both local means are non-zero (0 if nowhere).</summary>
    internal static Tensor Ssim3d(Tensor first, Tensor second)
    {
        var window = SsimWindow().To(first.Device);
        var padding = new Size3(1, 3, 3);
        var mu1 = Functional.Conv3d(first, window, padding: padding);
        var mu2 = Functional.Conv3d(second, window, padding: padding);
        var mu1Squared = mu1 * mu1;
        var mu2Squared = mu2 * mu2;
        var mu12 = mu1 * mu2;
        var sigma1 = Functional.Conv3d(first * first, window, padding: padding) - mu1Squared;
        var sigma2 = Functional.Conv3d(second * second, window, padding: padding) - mu2Squared;
        var sigma12 = Functional.Conv3d(first * second, window, padding: padding) - mu12;
        var map = (((mu12 * 2.0) + C1) * ((sigma12 * 2.0) + C2)) / ((mu1Squared + mu2Squared + C1) * (sigma1 + sigma2 + C2));
        var valid = (mu1.NotEqual(0) * mu2.NotEqual(0)).To(ScalarType.Float32);
        return (map * valid).Sum() / valid.Sum().Clamp(1, null);
    }

    /// <summary>Mean absolute difference between the flow and its Gaussian-smoothed, down- and upsampled self.</summary>
    internal static Tensor Smoothness(Tensor prediction)
    {
        var channels = prediction.Size(1);
        var kernel = SmoothingKernel().To(prediction.Device).Expand(channels, 1, 3, 5, 5).Contiguous();
        var padding = new Size3(1, 2, 2);
        var coarse = Functional.Conv3d(prediction, kernel, stride: new Size3(2, 2, 2), padding: padding, groups: channels);
        var up = Functional.Interpolate(coarse, [prediction.Size(2), prediction.Size(3), prediction.Size(4)]);
        var blurred = Functional.Conv3d(up, kernel, padding: padding, groups: channels);
        return (prediction - blurred).Abs().Mean();
    }

    /// <summary>The SSIM window (1, 1, 3, 7, 7): g(z)²·g(y)·g(x) with normalised 1-D Gaussians of σ 1.5, normalised to sum 1.</summary>
    private static Tensor SsimWindow()
    {
        var gz = Gaussian(3, 1.5);
        var gy = Gaussian(7, 1.5);
        var values = new double[3 * 7 * 7];
        for (var z = 0; z < 3; z++)
        {
            for (var y = 0; y < 7; y++)
            {
                for (var x = 0; x < 7; x++)
                {
                    values[(((z * 7) + y) * 7) + x] = gz[z] * gy[y] * gz[z] * gy[x];
                }
            }
        }

        var sum = values.Sum();
        return Tensor.FromSpan<float>(values.Select(v => (float)(v / sum)).ToArray(), [1, 1, 3, 7, 7]);
    }

    private static double[] Gaussian(int size, double sigma)
    {
        var values = Enumerable.Range(0, size).Select(i => Math.Exp(-((i - (size / 2)) * (i - (size / 2))) / (2 * sigma * sigma))).ToArray();
        var sum = values.Sum();
        return [.. values.Select(v => v / sum)];
    }

    /// <summary>Gaussian kernel (1, 1, 3, 5, 5) with σ = (1, 8, 8), normalised to sum 1.</summary>
    private static Tensor SmoothingKernel()
    {
        var values = new double[3 * 5 * 5];
        for (var z = 0; z < 3; z++)
        {
            for (var y = 0; y < 5; y++)
            {
                for (var x = 0; x < 5; x++)
                {
                    var (dz, dy, dx) = (z - 1, y - 2, x - 2);
                    values[(((z * 5) + y) * 5) + x] = Math.Exp(-((dz * dz) / 2.0) - ((dy * dy) / 128.0) - ((dx * dx) / 128.0));
                }
            }
        }

        var sum = values.Sum();
        return Tensor.FromSpan<float>(values.Select(v => (float)(v / sum)).ToArray(), [1, 1, 3, 5, 5]);
    }
}
