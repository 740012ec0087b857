using CellVision.Core.Synthetic;
using CellVision.Core.Volumes;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>Per-cell features against scikit-image 0.19 regionprops run as cell-tracker-gnn runs it.</summary>
public sealed class CellFeatureGoldenTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(37)]
    [InlineData(64)]
    public void Real_2d_frame_features_and_track_ids_match_regionprops(int t)
    {
        var (rawPath, traPath, segPath) = GnnReference.SimFrame(t);
        using var raw = GnnReference.ReadTiff(rawPath);
        using var tra = GnnReference.ReadTiff(traPath);
        using var seg = GnnReference.ReadTiff(segPath);

        var cells = CellFeatureExtractor.ExtractWithTrackIds(raw, seg, tra, t);

        Assert.NotEmpty(cells);
        Assert.All(cells, cell => Assert.Equal((2, t, 0), (cell.Dimensions, cell.Frame, cell.BoundingBoxMin.Z)));
        GnnReference.AssertRowsEqual(GnnReference.Run("features", rawPath, segPath, traPath), cells, trackIds: true);
        var inference = CellFeatureExtractor.Extract(raw, seg, t);
        GnnReference.AssertRowsEqual(GnnReference.Run("features", rawPath, segPath), inference, trackIds: false);
    }

    [Fact]
    public void Synthetic_3d_features_with_labels_above_65535_match_regionprops()
    {
        using var movie = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Timepoints = 2, Depth = 12, Height = 48, Width = 56, InitialNuclei = 8, Seed = 11 });
        using var folder = new TemporaryFolder();
        var image = movie.Images[1];
        var mask = movie.Masks[1];
        // Segment labels beyond uint16; markers displaced by two voxels (partial overlaps), every fourth one erased
        // (its cell is dropped unless a neighbour's marker reaches into it).
        using var seg = new Volume<uint>(mask.Depth, mask.Height, mask.Width);
        using var markers = new Volume<ushort>(mask.Depth, mask.Height, mask.Width);
        for (var z = 0; z < mask.Depth; z++)
        {
            for (var y = 0; y < mask.Height; y++)
            {
                for (var x = 0; x < mask.Width; x++)
                {
                    var label = mask[z, y, x];
                    seg[z, y, x] = label == 0 ? 0u : 70_000u + (3u * label);
                    var shifted = x + 2 < mask.Width ? mask[z, y, x + 2] : (ushort)0;
                    markers[z, y, x] = shifted % 4 == 0 ? (ushort)0 : shifted;
                }
            }
        }

        var cells = CellFeatureExtractor.ExtractWithTrackIds(image, seg, markers, 1);

        Assert.True(cells.Count >= 5, $"{cells.Count} cells");
        Assert.All(cells, cell => Assert.Equal(3, cell.Dimensions));
        Assert.Contains(cells, cell => cell.Label > 65_535);
        Assert.True(cells.Count < CellFeatureExtractor.Extract(image, seg, 1).Count, "no cell was dropped");
        var rows = GnnReference.Run("features",
            GnnReference.WriteBin(image, folder["raw.bin"], "<u2"),
            GnnReference.WriteBin(seg, folder["seg.bin"], "<u4"),
            GnnReference.WriteBin(markers, folder["markers.bin"], "<u2"));
        GnnReference.AssertRowsEqual(rows, cells, trackIds: true);
    }
}
