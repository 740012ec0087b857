using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Torch;

namespace CellVision.Networks;

/// <summary>
/// ELEPHANT's input rescaling (its <c>input_size</c>, the client's "rescale" factors) for volumes: sizes of
/// ⌊size × factor⌋ voxels per axis, voxel sizes over the factor, and PyTorch's <c>F.interpolate</c> (trilinear with
/// aligned corners for intensities and probabilities, legacy nearest for labels).
/// </summary>
public static class VolumeResampling
{
    /// <summary>True when the (Z, Y, X) factors resample nothing.</summary>
    /// <param name="factor">Per-axis factors.</param>
    public static bool IsIdentity((double Depth, double Height, double Width) factor) => factor == (1d, 1d, 1d);

    /// <summary>⌊size × factor⌋ per axis (a product within 1e-9 of an integer counts as it), at least 1.</summary>
    /// <param name="depth">Depth in voxels.</param>
    /// <param name="height">Height in voxels.</param>
    /// <param name="width">Width in voxels.</param>
    /// <param name="factor">Per-axis (Z, Y, X) factors, finite and positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A factor is not finite and positive.</exception>
    public static (int Depth, int Height, int Width) Size(int depth, int height, int width, (double Depth, double Height, double Width) factor) =>
        (Scale(depth, factor.Depth), Scale(height, factor.Height), Scale(width, factor.Width));

    /// <summary>The voxel size on the resampled grid: each axis's size over its factor.</summary>
    /// <param name="voxelSize">The original voxel size.</param>
    /// <param name="factor">Per-axis (Z, Y, X) factors.</param>
    public static VoxelSize Resampled(VoxelSize voxelSize, (double Depth, double Height, double Width) factor) =>
        new(voxelSize.X / factor.Width, voxelSize.Y / factor.Height, voxelSize.Z / factor.Depth);

    /// <summary>Resamples a volume trilinearly with aligned corners (PyTorch's <c>F.interpolate(trilinear, align_corners=True)</c>).</summary>
    /// <param name="source">The volume.</param>
    /// <param name="size">The new size (Z, Y, X).</param>
    /// <param name="voxelSize">The new volume's voxel size.</param>
    /// <returns>A new volume with the source's origin; the caller disposes it.</returns>
    public static Volume<float> Trilinear(Volume<float> source, (int Depth, int Height, int Width) size, VoxelSize voxelSize) =>
        Interpolate(source, size, voxelSize, InterpolationMode.Trilinear);

    /// <summary>Resamples a volume by nearest neighbour as PyTorch's legacy <c>F.interpolate(mode='nearest')</c>: target voxel k reads source ⌊k · in / out⌋.</summary>
    /// <param name="source">The volume (labels as floats).</param>
    /// <param name="size">The new size (Z, Y, X).</param>
    /// <param name="voxelSize">The new volume's voxel size.</param>
    /// <returns>A new volume with the source's origin; the caller disposes it.</returns>
    public static Volume<float> Nearest(Volume<float> source, (int Depth, int Height, int Width) size, VoxelSize voxelSize) =>
        Interpolate(source, size, voxelSize, InterpolationMode.Nearest);

    private static Volume<float> Interpolate(Volume<float> source, (int Depth, int Height, int Width) size, VoxelSize voxelSize, InterpolationMode mode)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = new Volume<float>(size.Depth, size.Height, size.Width, voxelSize, source.Origin);
        try
        {
            using var scope = DisposeScope.Enter();
            long[] shape = [1, 1, source.Depth, source.Height, source.Width];
            var input = Tensor.FromSpan<float>(source.Span, shape);
            var output = mode == InterpolationMode.Nearest
                ? Functional.Interpolate(input, [size.Depth, size.Height, size.Width])
                : Functional.Interpolate(input, [size.Depth, size.Height, size.Width], mode, alignCorners: true);
            output.CopyTo(result.Span);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private static int Scale(int size, double factor)
    {
        if (!double.IsFinite(factor) || factor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Resize factors must be finite and positive.");
        }

        return Math.Max(1, checked((int)Math.Floor((size * factor) + 1e-9)));
    }
}
