namespace CellVision.Core.Spatial;

/// <summary>A neighbour found by a <see cref="KdTree3"/> query: the point's index in the build input and its squared distance.</summary>
/// <param name="Index">Index of the point in the input the tree was built from.</param>
/// <param name="SquaredDistance">Squared Euclidean distance to the query point.</param>
public readonly record struct Neighbor(int Index, double SquaredDistance) : IComparable<Neighbor>
{
    /// <summary>Orders by increasing distance, then by increasing index (the order every query returns).</summary>
    /// <param name="other">The other neighbour.</param>
    public int CompareTo(Neighbor other)
    {
        var byDistance = SquaredDistance.CompareTo(other.SquaredDistance);
        return byDistance != 0 ? byDistance : Index.CompareTo(other.Index);
    }

    /// <summary>Whether <paramref name="left"/> comes before <paramref name="right"/>.</summary>
    /// <param name="left">A neighbour.</param>
    /// <param name="right">A neighbour.</param>
    public static bool operator <(Neighbor left, Neighbor right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> comes after <paramref name="right"/>.</summary>
    /// <param name="left">A neighbour.</param>
    /// <param name="right">A neighbour.</param>
    public static bool operator >(Neighbor left, Neighbor right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> does not come after <paramref name="right"/>.</summary>
    /// <param name="left">A neighbour.</param>
    /// <param name="right">A neighbour.</param>
    public static bool operator <=(Neighbor left, Neighbor right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> does not come before <paramref name="right"/>.</summary>
    /// <param name="left">A neighbour.</param>
    /// <param name="right">A neighbour.</param>
    public static bool operator >=(Neighbor left, Neighbor right) => left.CompareTo(right) >= 0;
}
