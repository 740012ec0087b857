using CellVision.Core.Annotations;
using CellVision.Core.Volumes;

namespace CellVision.Detection;

/// <summary>
/// Scores detected nuclei against a ground-truth instance mask by their centres: in order, each detection whose
/// centre voxel (rounded) lies in an instance not yet claimed claims it and is a hit; a detection in the background,
/// outside the volume or in a claimed instance is a false detection.
/// </summary>
public static class NucleusMatching
{
    /// <summary>Scores a prediction.</summary>
    /// <param name="detections">The nuclei, in the order they claim instances.</param>
    /// <param name="mask">Instance labels with the frame's voxel size.</param>
    /// <param name="minimumVoxels">
    /// Instances with fewer voxels in view are left out: they count neither as instances nor, when a detection falls
    /// in them, as detections (for scoring only the nuclei mostly in view; 0 counts every instance).
    /// </param>
    /// <returns>Detections, instances and hits.</returns>
    public static DetectionScore Score(IEnumerable<DetectedSpot> detections, Volume<ushort> mask, long minimumVoxels)
    {
        ArgumentNullException.ThrowIfNull(detections);
        return Score(detections.Select(d => (d.X, d.Y, d.Z)), mask, minimumVoxels);
    }

    /// <summary>Scores the spots of one timepoint (pass only those that stand for nuclei).</summary>
    /// <param name="spots">The spots, in the order they claim instances.</param>
    /// <param name="mask">Instance labels with the frame's voxel size.</param>
    /// <param name="minimumVoxels">Instances with fewer voxels in view are left out, as above.</param>
    /// <returns>Detections, instances and hits.</returns>
    public static DetectionScore Score(IEnumerable<Spot> spots, Volume<ushort> mask, long minimumVoxels)
    {
        ArgumentNullException.ThrowIfNull(spots);
        return Score(spots.Select(s => (s.X, s.Y, s.Z)), mask, minimumVoxels);
    }

    /// <summary>The instance label under a physical position (0 for background or outside the volume).</summary>
    /// <param name="mask">Instance labels with the frame's voxel size.</param>
    /// <param name="x">X (physical units).</param>
    /// <param name="y">Y (physical units).</param>
    /// <param name="z">Z (physical units).</param>
    /// <returns>The label of the nearest voxel centre.</returns>
    public static int LabelAt(Volume<ushort> mask, double x, double y, double z)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var size = mask.VoxelSize;
        var (k, j, i) = ((int)Math.Round(z / size.Z), (int)Math.Round(y / size.Y), (int)Math.Round(x / size.X));
        return k >= 0 && j >= 0 && i >= 0 && k < mask.Depth && j < mask.Height && i < mask.Width ? mask[k, j, i] : 0;
    }

    private static DetectionScore Score(IEnumerable<(double X, double Y, double Z)> centres, Volume<ushort> mask, long minimumVoxels)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumVoxels);
        var sizes = new Dictionary<int, long>();
        foreach (var label in mask.Span)
        {
            if (label != 0)
            {
                sizes[label] = sizes.GetValueOrDefault(label) + 1;
            }
        }

        var claimed = new HashSet<int>();
        int detections = 0, hits = 0;
        foreach (var (x, y, z) in centres)
        {
            var label = LabelAt(mask, x, y, z);
            if (label != 0 && sizes[label] < minimumVoxels)
            {
                continue;
            }

            detections++;
            if (label != 0 && claimed.Add(label))
            {
                hits++;
            }
        }

        return new DetectionScore(detections, sizes.Values.Count(v => v >= minimumVoxels), hits);
    }
}
