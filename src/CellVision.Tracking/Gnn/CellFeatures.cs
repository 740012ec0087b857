using CellVision.Core.Annotations;

namespace CellVision.Tracking;

/// <summary>
/// The hand-crafted features of one segmented cell in one frame, as the GNN cell tracker (Ben-Haim &amp; Riklin-Raviv)
/// computes them with scikit-image 0.19's <c>regionprops</c> on the cell's binary mask and the raw frame.
/// </summary>
/// <remarks>
/// Coordinates are voxel indices in array order (Z, Y, X = depth, row, column). A 2-D frame is a volume of depth 1:
/// its cells have <see cref="Dimensions"/> 2, Z = 0 and a Z range of [0, 1). <see cref="CellFeatureExtractor"/> makes
/// these; <see cref="NodeFeatureColumns"/> lays them out as node vectors.
/// </remarks>
public sealed record CellFeatures
{
    /// <summary>The frame number (time index) the caller gave; the reference parses it from the file name.</summary>
    public required int Frame { get; init; }

    /// <summary>The segment's label value in the label image (the reference's <c>seg_label</c>).</summary>
    public required uint Label { get; init; }

    /// <summary>
    /// The ground-truth track id (the reference's <c>id</c>): the track-marker label that overlaps the segment most,
    /// or 0 when none was computed.
    /// </summary>
    public uint TrackId { get; init; }

    /// <summary>2 for a cell of a depth-1 frame, 3 otherwise; selects the axis-length formulas and the node layout.</summary>
    public required int Dimensions { get; init; }

    /// <summary>The number of voxels (pixels in 2-D): <c>area</c>.</summary>
    public required long Area { get; init; }

    /// <summary>The first voxel of the bounding box on each axis (inclusive): <c>min_*_bb</c>.</summary>
    public required (int Z, int Y, int X) BoundingBoxMin { get; init; }

    /// <summary>One past the last voxel of the bounding box on each axis (exclusive): <c>max_*_bb</c>.</summary>
    public required (int Z, int Y, int X) BoundingBoxMax { get; init; }

    /// <summary>The mean voxel coordinate on each axis, unrounded (regionprops' <c>centroid</c>).</summary>
    public required (double Z, double Y, double X) Centroid { get; init; }

    /// <summary>
    /// The population covariance of the voxel coordinates (voxel² units, X, Y, Z order), i.e. the central second
    /// moments divided by the area; the axis lengths come from its eigenvalues and the geometry-only features scale it
    /// to physical units.
    /// </summary>
    public required Covariance3 Covariance { get; init; }

    /// <summary>
    /// <c>major_axis_length</c>: in 2-D 4·√ev₀ of the inertia tensor, in 3-D √(10·(ev₀ + ev₁ − ev₂)) (scikit-image 0.19).
    /// </summary>
    public required double MajorAxisLength { get; init; }

    /// <summary>
    /// <c>minor_axis_length</c>: in 2-D 4·√ev_last of the inertia tensor, in 3-D √(10·(−ev₀ + ev₁ + ev₂)) (scikit-image 0.19).
    /// </summary>
    public required double MinorAxisLength { get; init; }

    /// <summary>The largest raw intensity inside the segment: <c>max_intensity</c>.</summary>
    public required double MaxIntensity { get; init; }

    /// <summary>The mean raw intensity inside the segment: <c>mean_intensity</c>.</summary>
    public required double MeanIntensity { get; init; }

    /// <summary>The smallest raw intensity inside the segment: <c>min_intensity</c>.</summary>
    public required double MinIntensity { get; init; }

    /// <summary>
    /// The cell's metric-learning embedding (128 values of unit length, <see cref="CellEmbeddingModel"/>), the
    /// reference's <c>feat_0</c> … <c>feat_127</c>; null for cells measured without it. Graphs built from cells that carry
    /// it give the GNN its embedding input, unscaled.
    /// </summary>
    public IReadOnlyList<float>? Embedding { get; init; }

    /// <summary>
    /// The centroid as the reference stores it: each coordinate rounded half to even (<c>np.round</c>), then made an
    /// integer (the reference's int16 holds it for frames under 32,768 voxels per axis).
    /// </summary>
    public (int Z, int Y, int X) RoundedCentroid =>
        (RoundHalfEven(Centroid.Z), RoundHalfEven(Centroid.Y), RoundHalfEven(Centroid.X));

    /// <summary>The bounding-box size on each axis (max − min), in voxels.</summary>
    public (int Z, int Y, int X) Extent =>
        (BoundingBoxMax.Z - BoundingBoxMin.Z, BoundingBoxMax.Y - BoundingBoxMin.Y, BoundingBoxMax.X - BoundingBoxMin.X);

    private static int RoundHalfEven(double value) => (int)Math.Round(value, MidpointRounding.ToEven);
}
