using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>
/// One training data set of semantic segmentation: labels (class ids, 0 = background) over a region of interest, the
/// raw image around it (it may extend beyond the labels, which gives real context at their border), and the optional
/// sample mask and metric mask over the labels' region.
/// </summary>
/// <param name="Raw">The raw image, uint8.</param>
/// <param name="Labels">Class ids 0..K − 1, one per voxel of the region of interest.</param>
/// <param name="RawOffset">Where the labels' first voxel lies in <paramref name="Raw"/>, Z, Y, X (default: the same voxel).</param>
/// <param name="Mask">Nonzero inside the sample (incasem's MASK); null for everywhere. The labels' shape.</param>
/// <param name="MetricMask">Nonzero where scores count (incasem's METRIC_MASK); null for everywhere. The labels' shape.</param>
public sealed record SemanticTrainingVolume(Volume<byte> Raw, Volume<byte> Labels, (int Z, int Y, int X) RawOffset = default, Volume<byte>? Mask = null, Volume<byte>? MetricMask = null)
{
    /// <summary>Throws unless the masks match the labels and the raw image covers the labels' region.</summary>
    /// <param name="name">How to name this volume in the message.</param>
    /// <exception cref="ArgumentException">A shape does not fit.</exception>
    public void Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(Raw);
        ArgumentNullException.ThrowIfNull(Labels);
        foreach (var (mask, field) in new[] { (Mask, nameof(Mask)), (MetricMask, nameof(MetricMask)) })
        {
            if (mask is not null && !mask.Shape.SequenceEqual(Labels.Shape))
            {
                throw new ArgumentException($"{name}: the {field} is {Describe(mask.Shape)} but the labels are {Describe(Labels.Shape)}.");
            }
        }

        if (RawOffset.Z < 0 || RawOffset.Y < 0 || RawOffset.X < 0
            || RawOffset.Z + Labels.Depth > Raw.Depth || RawOffset.Y + Labels.Height > Raw.Height || RawOffset.X + Labels.Width > Raw.Width)
        {
            throw new ArgumentException($"{name}: the labels ({Describe(Labels.Shape)}) at raw offset {RawOffset} do not lie inside the raw image ({Describe(Raw.Shape)}).");
        }
    }

    private static string Describe(long[] shape) => string.Join('×', shape);
}
