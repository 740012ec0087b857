namespace CellVision.Tracking.Tests.Gnn;

/// <summary>scikit-learn's MinMaxScaler semantics and the node vector layouts.</summary>
public sealed class FeatureScalingTests
{
    [Fact]
    public void Columns_scale_to_unit_range_and_a_constant_column_becomes_zero()
    {
        double[] values = [0, 7, 100, 4.5, 7, 50, 9, 7, 0];

        var scaled = FeatureScaling.MinMax(values, 3, 3);

        Assert.Equal([0f, 0f, 1f, 0.5f, 0f, 0.5f, 1f, 0f, 0f], scaled);
    }

    [Fact]
    public void Frame_numbers_of_a_ten_frame_window_become_ninths()
    {
        var frames = Enumerable.Range(20, 10).Select(f => (double)f).ToArray();

        var scaled = FeatureScaling.MinMax(frames, 10, 1);

        Assert.Equal(Enumerable.Range(0, 10).Select(k => (float)((k + 20) * (1.0 / 9) + (0 - (20 * (1.0 / 9))))), scaled);
        Assert.Equal(1f, scaled[^1]);
    }

    [Fact]
    public void Bad_matrices_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => FeatureScaling.MinMax(new double[5], 2, 3));
        Assert.Throws<ArgumentException>(() => FeatureScaling.MinMax([1, double.NaN], 2, 1));
        Assert.Empty(FeatureScaling.MinMax([], 0, 13));
    }

    [Fact]
    public void Node_vectors_have_the_reference_layout()
    {
        Assert.Equal(13, NodeFeatureColumns.Count(NodeFeatureSet.HandCrafted, 2));
        Assert.Equal(16, NodeFeatureColumns.Count(NodeFeatureSet.HandCrafted, 3));
        Assert.Equal(6, NodeFeatureColumns.Count(NodeFeatureSet.Geometry, 2));
        Assert.Equal(7, NodeFeatureColumns.Count(NodeFeatureSet.Geometry, 3));
        Assert.Equal(
            ["frame_num", "area", "min_depth_bb", "min_row_bb", "min_col_bb", "max_depth_bb", "max_row_bb", "max_col_bb",
             "centroid_depth", "centroid_row", "centroid_col", "major_axis_length", "minor_axis_length",
             "max_intensity", "mean_intensity", "min_intensity"],
            NodeFeatureColumns.Names(NodeFeatureSet.HandCrafted, 3));

        var cell = new CellFeatures
        {
            Frame = 3, Label = 9, Dimensions = 3, Area = 11, BoundingBoxMin = (1, 2, 3), BoundingBoxMax = (4, 5, 6),
            Centroid = (2.5, 3.5, 4.4), Covariance = new(2, 0, 0, 1, 0, 0.5), MajorAxisLength = 7, MinorAxisLength = 6,
            MaxIntensity = 30, MeanIntensity = 20, MinIntensity = 10,
        };
        var vector = new double[16];
        NodeFeatureColumns.Write(cell, NodeFeatureSet.HandCrafted, default, vector);
        Assert.Equal([3, 11, 1, 2, 3, 4, 5, 6, 2, 4, 4, 7, 6, 30, 20, 10], vector);

        var geometry = new double[7];
        NodeFeatureColumns.Write(cell, NodeFeatureSet.Geometry, new(0.5, 0.5, 2), geometry);
        Assert.Equal([3, 5, 1.75, 2.2], geometry[..4]);
        // Variances in µm²: X 2·0.5² = 0.5, Y 1·0.5² = 0.25, Z 0.5·2² = 2.
        Assert.Equal(Math.Sqrt(20 * 2.0), geometry[4], 14);
        Assert.Equal(Math.Sqrt(20 * 0.25), geometry[5], 14);
        Assert.Equal(11 * 0.5, geometry[6], 14);
        Assert.Throws<ArgumentException>(() => NodeFeatureColumns.Write(cell, NodeFeatureSet.HandCrafted, default, new double[13]));
    }
}
