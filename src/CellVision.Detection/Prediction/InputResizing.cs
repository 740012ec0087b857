using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Torch;

namespace CellVision.Detection;

/// <summary>
/// ELEPHANT's input rescaling (<see cref="PredictionOptions.ResizeFactor"/>): a normalised frame is resampled
/// trilinearly with aligned corners (PyTorch's <c>F.interpolate</c>) to ⌊size × factor⌋ voxels per axis, its voxel size
/// divided by the factor, and probabilities are resampled back the same way.
/// </summary>
internal static class InputResizing
{
    /// <summary>True when the factors resample nothing.</summary>
    public static bool IsIdentity((double Depth, double Height, double Width) factor) => factor == (1d, 1d, 1d);

    /// <summary>The voxel size on the resampled grid: each axis's size over its factor.</summary>
    public static VoxelSize Resized(VoxelSize voxelSize, (double Depth, double Height, double Width) factor) =>
        new(voxelSize.X / factor.Width, voxelSize.Y / factor.Height, voxelSize.Z / factor.Depth);

    /// <summary>Resamples a frame to ⌊size × factor⌋ voxels per axis, with the voxel size over the factor.</summary>
    /// <param name="frame">Intensities, (D, H, W).</param>
    /// <param name="factor">Per-axis factors, finite and positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A factor is not finite and positive.</exception>
    public static Volume<float> Resize(Volume<float> frame, (double Depth, double Height, double Width) factor)
    {
        var size = (Scale(frame.Depth, factor.Depth), Scale(frame.Height, factor.Height), Scale(frame.Width, factor.Width));
        return Trilinear(frame, size, Resized(frame.VoxelSize, factor));
    }

    /// <summary>Resamples class probabilities back to a frame's size and voxel size.</summary>
    /// <param name="probabilities">Probabilities on the resampled grid.</param>
    /// <param name="frame">The frame they belong to.</param>
    public static DetectionProbabilities Back(DetectionProbabilities probabilities, Volume<float> frame)
    {
        var size = (frame.Depth, frame.Height, frame.Width);
        Volume<float>? background = null, border = null;
        try
        {
            background = Trilinear(probabilities.Background, size, frame.VoxelSize);
            border = Trilinear(probabilities.Border, size, frame.VoxelSize);
            return new DetectionProbabilities(background, border, Trilinear(probabilities.Centre, size, frame.VoxelSize));
        }
        catch
        {
            background?.Dispose();
            border?.Dispose();
            throw;
        }
    }

    /// <summary>⌊size × factor⌋ (a product within 1e-9 of an integer counts as it), at least 1.</summary>
    private static int Scale(int size, double factor)
    {
        if (!double.IsFinite(factor) || factor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Resize factors must be finite and positive.");
        }

        return Math.Max(1, checked((int)Math.Floor((size * factor) + 1e-9)));
    }

    private static Volume<float> Trilinear(Volume<float> source, (int Depth, int Height, int Width) size, VoxelSize voxelSize)
    {
        var result = new Volume<float>(size.Depth, size.Height, size.Width, voxelSize, source.Origin);
        try
        {
            using var scope = DisposeScope.Enter();
            long[] shape = [1, 1, source.Depth, source.Height, source.Width];
            Functional.Interpolate(Tensor.FromSpan<float>(source.Span, shape), [size.Depth, size.Height, size.Width], InterpolationMode.Trilinear, alignCorners: true).CopyTo(result.Span);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }
}
