using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>The outcome of flood-filling inference: the labels, the accepted objects and every seed tried. Dispose it to return the label volume's buffer.</summary>
public sealed class FloodFillResult : IDisposable
{
    internal FloodFillResult(Volume<uint> segmentation, IReadOnlyList<FloodFillSegment> segments, IReadOnlyList<FloodFillAttempt> attempts, long steps)
    {
        Segmentation = segmentation;
        Segments = segments;
        Attempts = attempts;
        Steps = steps;
    }

    /// <summary>Object labels: 0 is unsegmented, ids start at 1 in acceptance order (the reference's saved segmentation, −1 markers cleared).</summary>
    public Volume<uint> Segmentation { get; }

    /// <summary>The accepted objects in id order.</summary>
    public IReadOnlyList<FloodFillSegment> Segments { get; }

    /// <summary>Every seed the seed policy proposed, in the order tried, with its outcome.</summary>
    public IReadOnlyList<FloodFillAttempt> Attempts { get; }

    /// <summary>Network steps run in all.</summary>
    public long Steps { get; }

    /// <inheritdoc/>
    public void Dispose() => Segmentation.Dispose();
}
