using CellVision.Core.Annotations;
using CellVision.Core.Geometry;

namespace CellVision.Tracking;

/// <summary>The column names and the raw (unscaled) values of node feature vectors, in the order the network expects.</summary>
public static class NodeFeatureColumns
{
    private static readonly string[] HandCrafted2D =
    [
        "frame_num", "area", "min_row_bb", "min_col_bb", "max_row_bb", "max_col_bb", "centroid_row", "centroid_col",
        "major_axis_length", "minor_axis_length", "max_intensity", "mean_intensity", "min_intensity",
    ];

    private static readonly string[] HandCrafted3D =
    [
        "frame_num", "area", "min_depth_bb", "min_row_bb", "min_col_bb", "max_depth_bb", "max_row_bb", "max_col_bb",
        "centroid_depth", "centroid_row", "centroid_col", "major_axis_length", "minor_axis_length",
        "max_intensity", "mean_intensity", "min_intensity",
    ];

    private static readonly string[] Geometry2D = ["frame_num", "centroid_y_um", "centroid_x_um", "major_axis_um", "minor_axis_um", "area_um2"];

    private static readonly string[] Geometry3D =
        ["frame_num", "centroid_z_um", "centroid_y_um", "centroid_x_um", "major_axis_um", "minor_axis_um", "volume_um3"];

    /// <summary>The column names of a feature set.</summary>
    /// <param name="set">The feature set.</param>
    /// <param name="dimensions">2 or 3.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimensions"/> is not 2 or 3, or the set is unknown.</exception>
    public static IReadOnlyList<string> Names(NodeFeatureSet set, int dimensions)
    {
        if (dimensions is not (2 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "Cells are 2-D or 3-D.");
        }

        return set switch
        {
            NodeFeatureSet.HandCrafted => dimensions == 2 ? HandCrafted2D : HandCrafted3D,
            NodeFeatureSet.Geometry => dimensions == 2 ? Geometry2D : Geometry3D,
            _ => throw new ArgumentOutOfRangeException(nameof(set), set, "Unknown feature set."),
        };
    }

    /// <summary>How many values a feature set has (13 or 16 hand-crafted, 6 or 7 geometric).</summary>
    /// <param name="set">The feature set.</param>
    /// <param name="dimensions">2 or 3.</param>
    public static int Count(NodeFeatureSet set, int dimensions) => Names(set, dimensions).Count;

    /// <summary>Writes a cell's raw feature vector.</summary>
    /// <param name="cell">The cell.</param>
    /// <param name="set">Which values.</param>
    /// <param name="voxelSize">The voxel size (used by <see cref="NodeFeatureSet.Geometry"/> only).</param>
    /// <param name="destination">Receives <see cref="Count"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static void Write(CellFeatures cell, NodeFeatureSet set, VoxelSize voxelSize, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var count = Count(set, cell.Dimensions);
        if (destination.Length < count)
        {
            throw new ArgumentException($"The {set} vector of a {cell.Dimensions}-D cell has {count} values; the destination holds {destination.Length}.", nameof(destination));
        }

        if (set == NodeFeatureSet.HandCrafted)
        {
            WriteHandCrafted(cell, destination);
        }
        else
        {
            WriteGeometry(cell, voxelSize.Validate(), destination);
        }
    }

    /// <summary>Writes a spot's geometry vector (3-D, 7 values; see <see cref="NodeFeatureSet.Geometry"/>).</summary>
    /// <param name="spot">The spot: timepoint, centre and covariance in physical units.</param>
    /// <param name="destination">Receives 7 values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static void WriteGeometry(Spot spot, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(spot);
        if (destination.Length < Geometry3D.Length)
        {
            throw new ArgumentException($"A spot's geometry vector has {Geometry3D.Length} values; the destination holds {destination.Length}.", nameof(destination));
        }

        var c = spot.Covariance;
        var values = SymmetricEigen.Decompose(c.ToRowMajor()).Values;
        var det = (c.XX * ((c.YY * c.ZZ) - (c.YZ * c.YZ))) - (c.XY * ((c.XY * c.ZZ) - (c.YZ * c.XZ))) + (c.XZ * ((c.XY * c.YZ) - (c.YY * c.XZ)));
        destination[0] = spot.Timepoint;
        destination[1] = spot.Z;
        destination[2] = spot.Y;
        destination[3] = spot.X;
        destination[4] = 2 * Math.Sqrt(Math.Max(values[2], 0));
        destination[5] = 2 * Math.Sqrt(Math.Max(values[0], 0));
        destination[6] = 4.0 / 3.0 * Math.PI * Math.Sqrt(Math.Max(det, 0));
    }

    private static void WriteHandCrafted(CellFeatures cell, Span<double> d)
    {
        var (min, max, centre) = (cell.BoundingBoxMin, cell.BoundingBoxMax, cell.RoundedCentroid);
        var i = 0;
        d[i++] = cell.Frame;
        d[i++] = cell.Area;
        if (cell.Dimensions == 3)
        {
            d[i++] = min.Z;
        }

        d[i++] = min.Y;
        d[i++] = min.X;
        if (cell.Dimensions == 3)
        {
            d[i++] = max.Z;
        }

        d[i++] = max.Y;
        d[i++] = max.X;
        if (cell.Dimensions == 3)
        {
            d[i++] = centre.Z;
        }

        d[i++] = centre.Y;
        d[i++] = centre.X;
        d[i++] = cell.MajorAxisLength;
        d[i++] = cell.MinorAxisLength;
        d[i++] = cell.MaxIntensity;
        d[i++] = cell.MeanIntensity;
        d[i] = cell.MinIntensity;
    }

    private static void WriteGeometry(CellFeatures cell, VoxelSize s, Span<double> d)
    {
        var c = cell.Covariance;
        var physical = new Covariance3(
            c.XX * s.X * s.X, c.XY * s.X * s.Y, c.XZ * s.X * s.Z, c.YY * s.Y * s.Y, c.YZ * s.Y * s.Z, c.ZZ * s.Z * s.Z);
        var (major, minor) = RegionMoments.AxisLengths(physical, cell.Dimensions);
        var i = 0;
        d[i++] = cell.Frame;
        if (cell.Dimensions == 3)
        {
            d[i++] = cell.Centroid.Z * s.Z;
        }

        d[i++] = cell.Centroid.Y * s.Y;
        d[i++] = cell.Centroid.X * s.X;
        d[i++] = major;
        d[i++] = minor;
        d[i] = cell.Area * s.X * s.Y * (cell.Dimensions == 3 ? s.Z : 1);
    }
}
