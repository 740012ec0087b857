using CellVision.Core.Volumes;
using CellVision.Networks;

namespace CellVision.Detection;

/// <summary>One annotated timepoint: the frame normalised to [0, 1] and its detection labels (same shape).</summary>
/// <param name="Normalised">Intensities normalised to [0, 1], (D, H, W).</param>
/// <param name="Labels">Labels from <see cref="LabelGenerator"/>: 0 ignored, 1–3 true, 4–6 false.</param>
public sealed record TrainingFrame(Volume<float> Normalised, Volume<byte> Labels)
{
    /// <summary>
    /// ELEPHANT's input rescaling of a training frame (its <c>input_size</c>, see
    /// <see cref="PredictionOptions.ResizeFactor"/>): the intensities resampled trilinearly with aligned corners and the
    /// labels by nearest neighbour (PyTorch's legacy "nearest") to ⌊size × factor⌋ voxels per axis. The voxel size stays
    /// the frame's, as ELEPHANT's scale augmentation uses the request's scales, not the resampled ones.
    /// </summary>
    /// <param name="factor">Per-axis (Z, Y, X) factors, finite and positive.</param>
    /// <returns>A new frame; the caller disposes its volumes (this frame's are left as they are).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A factor is not finite and positive.</exception>
    public TrainingFrame Resize((double Depth, double Height, double Width) factor)
    {
        var voxelSize = Normalised.VoxelSize;
        var input = InputResizing.Resize(Normalised, factor);
        try
        {
            input.VoxelSize = voxelSize;
            using var asFloat = new Volume<float>(Labels.Depth, Labels.Height, Labels.Width, voxelSize, Labels.Origin);
            var source = Labels.Span;
            var floats = asFloat.Span;
            for (var i = 0; i < floats.Length; i++)
            {
                floats[i] = source[i];
            }

            using var resized = VolumeResampling.Nearest(asFloat, (input.Depth, input.Height, input.Width), voxelSize);
            var labels = new Volume<byte>(input.Depth, input.Height, input.Width, voxelSize, Labels.Origin);
            var values = resized.Span;
            var target = labels.Span;
            for (var i = 0; i < target.Length; i++)
            {
                target[i] = (byte)values[i];
            }

            return new TrainingFrame(input, labels);
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }
}
