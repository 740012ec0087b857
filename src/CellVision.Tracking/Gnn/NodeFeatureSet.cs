namespace CellVision.Tracking;

/// <summary>Which values make up a node's hand-crafted feature vector.</summary>
public enum NodeFeatureSet
{
    /// <summary>
    /// The reference's vector (§1.1, <c>drop_feat=[]</c>), for cells measured in images. 2-D, 13 values: frame_num,
    /// area, min_row, min_col, max_row, max_col, centroid_row, centroid_col, major, minor, max_I, mean_I, min_I. 3-D,
    /// 16 values: frame_num, area, min_depth, min_row, min_col, max_depth, max_row, max_col, centroid_depth,
    /// centroid_row, centroid_col, major, minor, max_I, mean_I, min_I. Centroids are the rounded ones.
    /// </summary>
    HandCrafted,

    /// <summary>
    /// Positions and sizes only, in physical units, for data without images (e.g. spots with a centre and a
    /// covariance). 3-D, 7 values: frame_num, centre Z, Y, X (µm), major and minor axis length (µm), volume (µm³).
    /// 2-D, 6 values: frame_num, centre Y, X, major, minor, area (µm²). For a cell, the axis lengths are
    /// regionprops' formulas applied to its covariance in µm² and the size is its voxel count times the voxel volume
    /// (area in 2-D); for a spot, whose covariance eigenvalues are its squared semi-axes, they are 2·√λ_max, 2·√λ_min
    /// and 4/3·π·√det — the same scale, since a solid ellipsoid's regionprops axis lengths are its full axes.
    /// </summary>
    Geometry,
}
