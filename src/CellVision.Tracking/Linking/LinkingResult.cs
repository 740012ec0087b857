namespace CellVision.Tracking;

/// <summary>What a linking run changed.</summary>
/// <param name="LinksAdded">Links made by the run and still in the graph at its end.</param>
/// <param name="LinksRemoved">Links that existed before the run and were removed: unlabeled links into a linked timepoint, and links that lost a competition for a parent.</param>
/// <param name="SpotsInterpolated">Spots created by interpolation across gaps.</param>
/// <param name="TimepointsLinked">Timepoints processed.</param>
public readonly record struct LinkingResult(int LinksAdded, int LinksRemoved, int SpotsInterpolated, int TimepointsLinked)
{
    /// <summary>The sum of two results.</summary>
    /// <param name="left">A result.</param>
    /// <param name="right">A result.</param>
    public static LinkingResult operator +(LinkingResult left, LinkingResult right) => new(
        left.LinksAdded + right.LinksAdded,
        left.LinksRemoved + right.LinksRemoved,
        left.SpotsInterpolated + right.SpotsInterpolated,
        left.TimepointsLinked + right.TimepointsLinked);

    /// <summary>The sum of two results.</summary>
    /// <param name="left">A result.</param>
    /// <param name="right">A result.</param>
    public static LinkingResult Add(LinkingResult left, LinkingResult right) => left + right;
}
