using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Networks;

namespace CellVision.Detection;

/// <summary>
/// ELEPHANT's input rescaling (<see cref="PredictionOptions.ResizeFactor"/>) of a frame and its probabilities, with
/// <see cref="VolumeResampling"/>: a normalised frame is resampled trilinearly with aligned corners to ⌊size × factor⌋
/// voxels per axis, its voxel size divided by the factor, and probabilities are resampled back the same way.
/// </summary>
internal static class InputResizing
{
    /// <summary>True when the factors resample nothing.</summary>
    public static bool IsIdentity((double Depth, double Height, double Width) factor) => VolumeResampling.IsIdentity(factor);

    /// <summary>The voxel size on the resampled grid: each axis's size over its factor.</summary>
    public static VoxelSize Resized(VoxelSize voxelSize, (double Depth, double Height, double Width) factor) => VolumeResampling.Resampled(voxelSize, factor);

    /// <summary>Resamples a frame to ⌊size × factor⌋ voxels per axis, with the voxel size over the factor.</summary>
    /// <param name="frame">Intensities, (D, H, W).</param>
    /// <param name="factor">Per-axis factors, finite and positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A factor is not finite and positive.</exception>
    public static Volume<float> Resize(Volume<float> frame, (double Depth, double Height, double Width) factor) =>
        VolumeResampling.Trilinear(frame, VolumeResampling.Size(frame.Depth, frame.Height, frame.Width, factor), Resized(frame.VoxelSize, factor));

    /// <summary>Resamples class probabilities back to a frame's size and voxel size.</summary>
    /// <param name="probabilities">Probabilities on the resampled grid.</param>
    /// <param name="frame">The frame they belong to.</param>
    public static DetectionProbabilities Back(DetectionProbabilities probabilities, Volume<float> frame)
    {
        var size = (frame.Depth, frame.Height, frame.Width);
        Volume<float>? background = null, border = null;
        try
        {
            background = VolumeResampling.Trilinear(probabilities.Background, size, frame.VoxelSize);
            border = VolumeResampling.Trilinear(probabilities.Border, size, frame.VoxelSize);
            return new DetectionProbabilities(background, border, VolumeResampling.Trilinear(probabilities.Centre, size, frame.VoxelSize));
        }
        catch
        {
            background?.Dispose();
            border?.Dispose();
            throw;
        }
    }
}
