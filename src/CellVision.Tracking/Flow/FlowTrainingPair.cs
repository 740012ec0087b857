using CellVision.Core.Volumes;
using CellVision.Networks;

namespace CellVision.Tracking;

/// <summary>
/// One training item of the flow model: frames t and t + 1, each min–max normalised to [0, 1] on its own, and the flow
/// label of the pair (on the frame t + 1 grid, see <see cref="FlowLabelGenerator"/>). All three have one shape; the
/// frames' voxel size scales the scale augmentation per axis.
/// </summary>
/// <param name="Current">Frame t, normalised.</param>
/// <param name="Next">Frame t + 1, normalised.</param>
/// <param name="Label">Flow label of the pair.</param>
public sealed record FlowTrainingPair(Volume<float> Current, Volume<float> Next, FlowLabel Label)
{
    /// <summary>
    /// ELEPHANT's input rescaling of a flow training item (its <c>input_size</c>, see
    /// <see cref="FlowPredictionOptions.ResizeFactor"/>): both frames resampled trilinearly with aligned corners and the
    /// label's channels and mask by nearest neighbour (PyTorch's legacy "nearest") to ⌊size × factor⌋ voxels per axis.
    /// The label values keep their units (displacements in voxels of the original frame over the norm factor), the
    /// crop-sampling centroids move to ⌊centroid × factor⌋, and the voxel size stays the frames' (ELEPHANT's scale
    /// augmentation uses the request's scales).
    /// </summary>
    /// <param name="factor">Per-axis (Z, Y, X) factors, finite and positive.</param>
    /// <returns>A new item; the caller disposes its volumes and label (this item's are left as they are).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A factor is not finite and positive.</exception>
    public FlowTrainingPair Resize((double Depth, double Height, double Width) factor)
    {
        var size = VolumeResampling.Size(Current.Depth, Current.Height, Current.Width, factor);
        var voxelSize = Current.VoxelSize;
        var resized = new List<Volume<float>>();
        try
        {
            resized.Add(VolumeResampling.Trilinear(Current, size, voxelSize));
            resized.Add(VolumeResampling.Trilinear(Next, size, voxelSize));
            foreach (var channel in new[] { Label.X, Label.Y, Label.Z, Label.Mask })
            {
                resized.Add(VolumeResampling.Nearest(channel, size, voxelSize));
            }

            var centroids = Label.Centroids.Select(c => (
                Moved(c.Z, factor.Depth, size.Depth),
                Moved(c.Y, factor.Height, size.Height),
                Moved(c.X, factor.Width, size.Width))).ToList();
            var label = new FlowLabel(resized[2], resized[3], resized[4], resized[5], centroids, Label.NormFactor);
            return new FlowTrainingPair(resized[0], resized[1], label);
        }
        catch
        {
            resized.ForEach(v => v.Dispose());
            throw;
        }
    }

    private static int Moved(int index, double factor, int size) => Math.Min(size - 1, (int)Math.Floor((index * factor) + 1e-9));
}
