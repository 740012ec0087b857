using CellVision.Core.Volumes;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>
/// A tiny 2-D time-lapse for the metric learning: each cell keeps its own ellipse and stripe texture and moves by a
/// pixel or so per frame, so that its patches look alike over time and unlike the other cells'.
/// </summary>
internal static class DmlScene
{
    /// <summary>The cells of every frame (track id = label) and their crops.</summary>
    public static (List<IReadOnlyList<CellFeatures>> Frames, CellCropSequence Crops) Create(int cells, int frames, int seed)
    {
        const int spacing = 16;
        var columns = 4;
        var size = (Height: spacing * ((cells + columns - 1) / columns), Width: spacing * columns);
        var random = new Random(seed);
        var offsets = new (int Y, int X)[cells];
        var result = new List<IReadOnlyList<CellFeatures>>();
        var crops = new CellCropSequence();
        for (var t = 0; t < frames; t++)
        {
            using var raw = new Volume<ushort>(1, size.Height, size.Width);
            using var mask = new Volume<ushort>(1, size.Height, size.Width);
            for (var c = 0; c < cells; c++)
            {
                offsets[c] = (Math.Clamp(offsets[c].Y + random.Next(-1, 2), -2, 2), Math.Clamp(offsets[c].X + random.Next(-1, 2), -2, 2));
                var centre = (Y: (spacing * (c / columns)) + (spacing / 2) + offsets[c].Y, X: (spacing * (c % columns)) + (spacing / 2) + offsets[c].X);
                // Shapes and brightness differ little between cells and wobble from frame to frame, so that telling
                // the cells apart has to be learnt.
                var (ry, rx) = (3 + (0.5 * (c % 3)) + random.NextDouble() - 0.5, 3 + (0.5 * (c / 3 % 3)) + random.NextDouble() - 0.5);
                for (var y = -6; y <= 6; y++)
                {
                    for (var x = -6; x <= 6; x++)
                    {
                        if (((y * y) / (ry * ry)) + ((x * x) / (rx * rx)) > 1)
                        {
                            continue;
                        }

                        // Stripes of the cell's own period and direction over its own brightness.
                        var stripe = (c % 2 == 0 ? y : x) + 6;
                        var value = 100 + (8 * (c % 5)) + (stripe % (2 + (c % 3)) == 0 ? 30 : 0) + random.Next(0, 60);
                        raw.Row(0, centre.Y + y)[centre.X + x] = (ushort)value;
                        mask.Row(0, centre.Y + y)[centre.X + x] = (ushort)(c + 1);
                    }
                }
            }

            var measured = CellFeatureExtractor.ExtractWithTrackIds(raw, mask, mask, t);
            result.Add(measured);
            crops.Add(raw, mask, measured);
        }

        return (result, crops);
    }
}
