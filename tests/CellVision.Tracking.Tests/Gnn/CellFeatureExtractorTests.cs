using CellVision.Core.Volumes;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>Hand-checked regions, the generic voxel types, and what bad input reports.</summary>
public sealed class CellFeatureExtractorTests
{
    [Fact]
    public void Small_2d_regions_have_the_hand_computed_features()
    {
        using var raw = new Volume<ushort>(1, 4, 6);
        using var labels = new Volume<ushort>(1, 4, 6);
        for (var x = 1; x <= 4; x++)
        {
            labels[0, 1, x] = 7; // a 1×4 bar: centroid x = 2.5 rounds to 2 (half to even)
            raw[0, 1, x] = (ushort)(10 * x);
        }

        labels[0, 3, 0] = 3; // label 3 in two pieces is still one region, centred at x = 2.5
        labels[0, 3, 5] = 3;
        raw[0, 3, 0] = 5;
        raw[0, 3, 5] = 8;

        var cells = CellFeatureExtractor.Extract(raw, labels, 4);

        Assert.Equal([3u, 7u], cells.Select(c => c.Label));
        var bar = cells[1];
        Assert.Equal((2, 4L, 4), (bar.Dimensions, bar.Area, bar.Frame));
        Assert.Equal((0, 1, 1), bar.BoundingBoxMin);
        Assert.Equal((1, 2, 5), bar.BoundingBoxMax);
        Assert.Equal((0.0, 1.0, 2.5), bar.Centroid);
        Assert.Equal((0, 1, 2), bar.RoundedCentroid);
        Assert.Equal(4 * Math.Sqrt(1.25), bar.MajorAxisLength, 14); // variance of 1, 2, 3, 4 is 1.25
        Assert.Equal(0, bar.MinorAxisLength);
        Assert.Equal((40.0, 25.0, 10.0), (bar.MaxIntensity, bar.MeanIntensity, bar.MinIntensity));
        var pieces = cells[0];
        Assert.Equal(2, pieces.Area);
        Assert.Equal((0, 3, 2), pieces.RoundedCentroid);
        Assert.Equal((1, 1, 6), (pieces.Extent.Z, pieces.Extent.Y, pieces.Extent.X));
        Assert.Equal(6.5, pieces.MeanIntensity);
    }

    [Fact]
    public void Centroids_round_half_to_even_upwards_too()
    {
        using var raw = new Volume<byte>(1, 1, 8);
        using var labels = new Volume<ushort>(1, 1, 8);
        labels[0, 0, 3] = 1;
        labels[0, 0, 4] = 1;

        var cell = Assert.Single(CellFeatureExtractor.Extract(raw, labels, 0));

        Assert.Equal(3.5, cell.Centroid.X);
        Assert.Equal(4, cell.RoundedCentroid.X);
    }

    [Fact]
    public void A_3d_region_in_one_plane_has_minor_axis_zero()
    {
        using var raw = new Volume<float>(3, 5, 5);
        using var labels = new Volume<uint>(3, 5, 5);
        for (var y = 1; y < 4; y++)
        {
            for (var x = 0; x < 5; x++)
            {
                labels[1, y, x] = 100_000;
                raw[1, y, x] = 0.5f * x;
            }
        }

        var cell = Assert.Single(CellFeatureExtractor.Extract(raw, labels, 2));

        Assert.Equal(3, cell.Dimensions);
        Assert.Equal(0, cell.MinorAxisLength);
        Assert.Equal(Math.Sqrt(20 * 2.0), cell.MajorAxisLength, 14); // variance of 0 … 4 is 2
        Assert.Equal((2.0, 1.0, 0.0), (cell.MaxIntensity, cell.MeanIntensity, cell.MinIntensity));
    }

    [Fact]
    public void Raw_voxel_types_give_the_same_features()
    {
        using var labels = new Volume<ushort>(2, 6, 7);
        using var bytes = new Volume<byte>(2, 6, 7);
        using var floats = new Volume<float>(2, 6, 7);
        var random = new Random(3);
        for (var i = 0; i < labels.Length; i++)
        {
            labels.Span[i] = (ushort)random.Next(0, 4);
            bytes.Span[i] = (byte)random.Next(0, 256);
            floats.Span[i] = bytes.Span[i];
        }

        Assert.Equal(CellFeatureExtractor.Extract(bytes, labels, 1), CellFeatureExtractor.Extract(floats, labels, 1));
    }

    [Fact]
    public void Track_id_ties_go_to_the_smaller_marker_and_cells_without_a_marker_are_dropped()
    {
        using var raw = new Volume<ushort>(1, 2, 4);
        using var labels = new Volume<ushort>(1, 2, 4);
        using var markers = new Volume<uint>(1, 2, 4);
        labels.Row(0, 0).Fill(1);
        labels.Row(0, 1).Fill(2);
        markers[0, 0, 0] = 9; // label 1: markers 9 and 5 cover two voxels each
        markers[0, 0, 1] = 9;
        markers[0, 0, 2] = 5;
        markers[0, 0, 3] = 5;

        var cell = Assert.Single(CellFeatureExtractor.ExtractWithTrackIds(raw, labels, markers, 0));

        Assert.Equal((1u, 5u), (cell.Label, cell.TrackId));
    }

    [Fact]
    public void A_frame_without_cells_gives_no_rows()
    {
        using var raw = new Volume<ushort>(1, 8, 8);
        using var labels = new Volume<ushort>(1, 8, 8);

        Assert.Empty(CellFeatureExtractor.Extract(raw, labels, 0));
        Assert.Empty(CellFeatureExtractor.ExtractWithTrackIds(raw, labels, labels, 0));
    }

    [Fact]
    public void Bad_input_is_named()
    {
        using var raw = new Volume<ushort>(1, 8, 8);
        using var labels = new Volume<ushort>(1, 8, 9);
        using var good = new Volume<ushort>(1, 8, 8);
        using var markers = new Volume<ushort>(2, 8, 8);

        var shape = Assert.Throws<ArgumentException>(() => CellFeatureExtractor.Extract(raw, labels, 0));
        Assert.Equal("raw", shape.ParamName);
        Assert.Contains("1×8×8", shape.Message);
        Assert.Contains("1×8×9", shape.Message);
        Assert.Equal("trackMarkers", Assert.Throws<ArgumentException>(() => CellFeatureExtractor.ExtractWithTrackIds(raw, good, markers, 0)).ParamName);
        Assert.Equal("frame", Assert.Throws<ArgumentOutOfRangeException>(() => CellFeatureExtractor.Extract(raw, good, -1)).ParamName);
        Assert.Equal("raw", Assert.Throws<ArgumentNullException>(() => CellFeatureExtractor.Extract<ushort, ushort>(null!, good, 0)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentNullException>(() => CellFeatureExtractor.Extract<ushort, ushort>(raw, null!, 0)).ParamName);

        using var signed = new Volume<int>(1, 8, 8);
        signed[0, 2, 3] = -4;
        var negative = Assert.Throws<ArgumentException>(() => CellFeatureExtractor.Extract(raw, signed, 0));
        Assert.Equal("labels", negative.ParamName);
        Assert.Contains("-4", negative.Message);
        Assert.Contains("y 2, x 3", negative.Message);

        using var wide = new Volume<long>(1, 8, 8);
        wide[0, 0, 0] = 1L << 33;
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => CellFeatureExtractor.Extract(raw, wide, 0)).ParamName);
    }
}
