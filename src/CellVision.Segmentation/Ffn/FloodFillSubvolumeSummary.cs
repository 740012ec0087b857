namespace CellVision.Segmentation;

/// <summary>What <see cref="FloodFillSegmenter.SegmentInSubvolumes{T}"/> did; the labels are in the label array it wrote.</summary>
public sealed class FloodFillSubvolumeSummary
{
    internal FloodFillSubvolumeSummary(IReadOnlyList<FloodFillSegment> segments, IReadOnlyList<FloodFillAttempt> attempts, long steps, int subvolumeCount)
    {
        Segments = segments;
        Attempts = attempts;
        Steps = steps;
        SubvolumeCount = subvolumeCount;
    }

    /// <summary>
    /// The accepted objects in id order, with seeds in volume coordinates. An object's overlaps name objects of earlier
    /// subvolumes that its mask reached but could not take over: the candidates for merging across borders.
    /// </summary>
    public IReadOnlyList<FloodFillSegment> Segments { get; }

    /// <summary>Every seed tried, subvolume by subvolume, in volume coordinates.</summary>
    public IReadOnlyList<FloodFillAttempt> Attempts { get; }

    /// <summary>Network steps run in all.</summary>
    public long Steps { get; }

    /// <summary>Subvolumes segmented.</summary>
    public int SubvolumeCount { get; }
}
