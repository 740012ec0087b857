using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using CellVision.Core.Volumes;
using CellVision.IO.Tiff;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>Runs Golden/Gnn/gnn_features_reference.py (scikit-image 0.19 regionprops and NumPy) and compares its rows.</summary>
internal static class GnnReference
{
    internal const string Script = "Golden/Gnn/gnn_features_reference.py";

    /// <summary>The raw frame, TRA marker and SEG mask paths of Fluo-N2DH-SIM+ sequence 01, frame <paramref name="t"/>.</summary>
    internal static (string Raw, string Tra, string Seg) SimFrame(int t)
    {
        var n = t.ToString("000", CultureInfo.InvariantCulture);
        return (SharedData.PathOf("ctc-fluo-n2dh-sim-01", "01", $"t{n}.tif"),
            SharedData.PathOf("ctc-fluo-n2dh-sim-01", "01_GT", "TRA", $"man_track{n}.tif"),
            SharedData.PathOf("ctc-fluo-n2dh-sim-01", "01_GT", "SEG", $"man_seg{n}.tif"));
    }

    internal static Volume<ushort> ReadTiff(string path)
    {
        using var tiff = TiffFile.Open(path);
        return tiff.ReadStack<ushort>();
    }

    /// <summary>Writes a volume as raw C-order bytes and returns the script's <c>bin:</c> spec for it.</summary>
    internal static string WriteBin<T>(Volume<T> volume, string path, string dtype)
        where T : unmanaged
    {
        File.WriteAllBytes(path, MemoryMarshal.AsBytes(volume.Span).ToArray());
        return $"bin:{path}:{dtype}:{volume.Depth},{volume.Height},{volume.Width}";
    }

    internal static JsonElement Run(params string[] arguments) =>
        JsonDocument.Parse(PythonReference.Run(Script, arguments)).RootElement.Clone();

    /// <summary>Asserts that C#'s cells equal the reference rows: integers exactly, floats to 1e-9 relative.</summary>
    internal static void AssertRowsEqual(JsonElement rows, IReadOnlyList<CellFeatures> cells, bool trackIds)
    {
        Assert.Equal(rows.GetArrayLength(), cells.Count);
        var i = 0;
        foreach (var row in rows.EnumerateArray())
        {
            var cell = cells[i++];
            var where = $"label {cell.Label}";
            Assert.Equal(row.GetProperty("label").GetUInt32(), cell.Label);
            if (trackIds)
            {
                Assert.Equal(row.GetProperty("track").GetUInt32(), cell.TrackId);
            }

            Assert.Equal(row.GetProperty("area").GetInt64(), cell.Area);
            var bbox = Ints(row.GetProperty("bbox"));
            var rounded = Ints(row.GetProperty("rounded"));
            var centroid = row.GetProperty("centroid").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            if (cell.Dimensions == 2)
            {
                Assert.Equal(2, rounded.Length);
                Assert.Equal(bbox, new[] { cell.BoundingBoxMin.Y, cell.BoundingBoxMin.X, cell.BoundingBoxMax.Y, cell.BoundingBoxMax.X });
                Assert.Equal(rounded, new[] { cell.RoundedCentroid.Y, cell.RoundedCentroid.X });
                Close(centroid[0], cell.Centroid.Y, where + " centroid row");
                Close(centroid[1], cell.Centroid.X, where + " centroid col");
            }
            else
            {
                Assert.Equal(bbox, new[] { cell.BoundingBoxMin.Z, cell.BoundingBoxMin.Y, cell.BoundingBoxMin.X, cell.BoundingBoxMax.Z, cell.BoundingBoxMax.Y, cell.BoundingBoxMax.X });
                Assert.Equal(rounded, new[] { cell.RoundedCentroid.Z, cell.RoundedCentroid.Y, cell.RoundedCentroid.X });
                Close(centroid[0], cell.Centroid.Z, where + " centroid depth");
                Close(centroid[1], cell.Centroid.Y, where + " centroid row");
                Close(centroid[2], cell.Centroid.X, where + " centroid col");
            }

            Close(row.GetProperty("major").GetDouble(), cell.MajorAxisLength, where + " major axis");
            Close(row.GetProperty("minor").GetDouble(), cell.MinorAxisLength, where + " minor axis");
            Assert.Equal(row.GetProperty("max").GetDouble(), cell.MaxIntensity);
            Assert.Equal(row.GetProperty("min").GetDouble(), cell.MinIntensity);
            Close(row.GetProperty("mean").GetDouble(), cell.MeanIntensity, where + " mean intensity");
        }
    }

    internal static int[] Ints(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetInt32())];

    internal static void Close(double expected, double actual, string what)
    {
        var tolerance = 1e-9 * Math.Max(Math.Abs(expected), Math.Abs(actual));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: reference {expected:R}, computed {actual:R}");
    }
}
