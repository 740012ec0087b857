using System.Globalization;
using CellVision.Torch;
using CellVision.Torch.Serialization;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>Metric-learning patches of a real 2-D frame against a NumPy transcription (Golden/Gnn/dml_patches.py).</summary>
public sealed class CellPatchGoldenTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-dml-patches-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(0, 0)]   // padded straight to the ROI
    [InlineData(6, 10)]  // padded further, then resized down to the ROI
    public void Real_frame_patches_equal_NumPys(int extraY, int extraX)
    {
        var (rawPath, _, segPath) = GnnReference.SimFrame(0);
        using var raw = GnnReference.ReadTiff(rawPath);
        using var seg = GnnReference.ReadTiff(segPath);
        var cells = CellFeatureExtractor.Extract(raw, seg, 0);
        var statistics = CellSequenceStatistics.Of(cells);
        var roi = (Z: 1, statistics.MaxExtent.Y, statistics.MaxExtent.X);
        var settings = new CellPatchSettings(statistics.MinIntensity, statistics.MaxIntensity, roi)
        {
            PadTo = extraY + extraX == 0 ? null : (1, roi.Y + extraY, roi.X + extraX),
        };
        var chosen = cells.Take(6).ToList();
        var patches = chosen.Select(cell => CellPatchExtractor.Extract(raw, seg, cell, settings)).ToList();
        using var scope = DisposeScope.Enter();
        var batch = CellPatchExtractor.Batch(patches, roi, 2);
        Assert.Equal([chosen.Count, 1, roi.Y, roi.X], batch.Shape);

        var output = Path.Combine(folder, "patches.pth");
        var padTo = settings.PadTo ?? roi;
        string[] arguments =
        [
            GnnReference.WriteBin(raw, Path.Combine(folder, "raw.bin"), "uint16"), GnnReference.WriteBin(seg, Path.Combine(folder, "seg.bin"), "uint16"), Invariant(settings.MinCell), Invariant(settings.MaxCell), $"{roi.Y}", $"{roi.X}", $"{padTo.Y}", $"{padTo.X}", output,
            .. chosen.Select(c => $"{c.Label}:{c.BoundingBoxMin.Y}:{c.BoundingBoxMin.X}:{c.BoundingBoxMax.Y}:{c.BoundingBoxMax.X}"),
        ];
        PythonReference.Run("Golden/Gnn/dml_patches.py", arguments);
        var expected = ((Tensor)PthFile.Load(output)!).ToArray<float>();
        var actual = batch.ToArray<float>();
        Assert.Equal(expected.Length, actual.Length);
        var tolerance = settings.PadTo is null ? 0 : 1e-6;
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"largest difference {worst:G3}");
        Assert.Contains(actual, v => v > 0);
    }

    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
