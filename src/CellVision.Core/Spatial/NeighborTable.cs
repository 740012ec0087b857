namespace CellVision.Core.Spatial;

/// <summary>The neighbours of many queries stored back to back, as <see cref="KdTree3.WithinRadiusBatch"/> returns them.</summary>
public sealed class NeighborTable
{
    private readonly int[] offsets;
    private readonly Neighbor[] neighbors;

    internal NeighborTable(int[] offsets, Neighbor[] neighbors)
    {
        this.offsets = offsets;
        this.neighbors = neighbors;
    }

    /// <summary>The number of queries.</summary>
    public int QueryCount => offsets.Length - 1;

    /// <summary>The number of neighbours over all queries.</summary>
    public int TotalCount => neighbors.Length;

    /// <summary>The neighbours of one query.</summary>
    /// <param name="query">The query's position in the batch.</param>
    public ReadOnlySpan<Neighbor> this[int query]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(query);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(query, QueryCount);
            return neighbors.AsSpan(offsets[query], offsets[query + 1] - offsets[query]);
        }
    }
}
