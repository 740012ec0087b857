using CellVision.Core.Spatial;

namespace CellVision.Tracking;

/// <summary>
/// One segmented cell of a tracking graph: a node of the GNN tracker. Nodes are numbered by their index in
/// <see cref="EdgeScores.Nodes"/>, in frame order and, within a frame, by segment label (spec §2).
/// </summary>
/// <param name="Frame">The frame (timepoint, from 0).</param>
/// <param name="SegmentLabel">The cell's label in the frame's segmentation mask.</param>
/// <param name="Depth">The rounded centroid's plane index (0 for 2-D data).</param>
/// <param name="Row">The rounded centroid's row index.</param>
/// <param name="Column">The rounded centroid's column index.</param>
public readonly record struct CellNode(int Frame, int SegmentLabel, int Depth, int Row, int Column)
{
    /// <summary>
    /// The centroid in physical units (X, Y, Z in µm), or null to place the cell at the rounded centroid times the
    /// voxel size. Spots of the lineage graph and the global decoder's distances use it.
    /// </summary>
    public Point3? Position { get; init; }

    /// <summary>The radius of the cell's spot in µm, or null for one voxel (the largest voxel side).</summary>
    public double? Radius { get; init; }

    /// <summary>The squared distance between the rounded centroids (depth, row, column), as the reference measures it.</summary>
    /// <param name="other">The other cell.</param>
    internal long SquaredVoxelDistanceTo(CellNode other)
    {
        long dz = Depth - other.Depth, dy = Row - other.Row, dx = Column - other.Column;
        return dz * dz + dy * dy + dx * dx;
    }
}
