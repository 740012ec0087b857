using CellVision.Core.Annotations;
using CellVision.Core.Volumes;

namespace CellVision.Cli.Report;

/// <summary>The report's pictures: maximum projections with tracks, a lineage tree and a loss curve.</summary>
internal static class Figures
{
    private static readonly (byte R, byte G, byte B) White = (255, 255, 255);
    private static readonly (byte R, byte G, byte B) Ink = (40, 40, 40);
    private static readonly (byte R, byte G, byte B) Grid = (220, 220, 220);

    /// <summary>
    /// The maximum-intensity projection along Z of one frame (contrast from the 1st to the 99.8th percentile), scaled
    /// up by <paramref name="zoom"/>, with each track's path up to <paramref name="timepoint"/> drawn in its colour and a
    /// circle on each of its spots at that timepoint.
    /// </summary>
    internal static Canvas Projection(Volume<ushort> frame, LineageGraph tracks, int timepoint, int zoom = 3)
    {
        int height = frame.Height, width = frame.Width;
        var projection = new float[height * width];
        for (var z = 0; z < frame.Depth; z++)
        {
            var plane = frame.Plane(z);
            for (var i = 0; i < plane.Length; i++)
            {
                projection[i] = Math.Max(projection[i], plane[i]);
            }
        }

        var sorted = projection.ToArray();
        Array.Sort(sorted);
        var low = sorted[(int)(0.01 * (sorted.Length - 1))];
        var high = Math.Max(low + 1, sorted[(int)(0.998 * (sorted.Length - 1))]);
        var canvas = new Canvas(width * zoom, height * zoom, (0, 0, 0));
        for (var y = 0; y < height * zoom; y++)
        {
            for (var x = 0; x < width * zoom; x++)
            {
                var v = (byte)Math.Clamp((projection[(y / zoom * width) + (x / zoom)] - low) / (high - low) * 255, 0, 255);
                canvas.Set(x, y, (v, v, v));
            }
        }

        var size = frame.VoxelSize;
        double Px(Spot s) => ((s.X / size.X) + 0.5) * zoom;
        double Py(Spot s) => ((s.Y / size.Y) + 0.5) * zoom;
        var rootOf = RootColours(tracks);
        foreach (var link in tracks.Links.Where(l => l.Target.Timepoint <= timepoint))
        {
            canvas.Line(Px(link.Source), Py(link.Source), Px(link.Target), Py(link.Target), rootOf[link.Target], 2);
        }

        foreach (var spot in tracks.SpotsAt(timepoint))
        {
            canvas.Circle(Px(spot), Py(spot), Math.Max(3, Math.Sqrt(spot.Covariance.XX) / size.X * zoom), rootOf[spot]);
        }

        return canvas;
    }

    /// <summary>A lineage tree: time runs left to right, one row per tracklet; divisions are vertical connectors.</summary>
    internal static Canvas LineageTree(LineageGraph tracks, int timepoints, int width = 900)
    {
        var tracklets = tracks.Tracklets();
        var children = tracklets.Where(t => t.Parent is not null).ToLookup(t => t.Parent!);
        var row = new Dictionary<Tracklet, double>();
        var next = 0;

        // Depth-first order puts daughters next to each other; a parent sits between its daughters.
        double Place(Tracklet tracklet)
        {
            var daughters = children[tracklet].ToList();
            if (daughters.Count == 0)
            {
                return row[tracklet] = next++;
            }

            var rows = daughters.Select(Place).ToList();
            return row[tracklet] = rows.Average();
        }

        foreach (var root in tracklets.Where(t => t.Parent is null))
        {
            Place(root);
        }

        const int rowHeight = 10, margin = 20;
        var canvas = new Canvas(width, Math.Max(1, next) * rowHeight + (2 * margin), White);
        var step = (width - (2.0 * margin)) / Math.Max(1, timepoints - 1);
        double X(int t) => margin + (t * step);
        double Y(Tracklet t) => margin + (row[t] * rowHeight) + (rowHeight / 2.0);
        for (var t = 0; t < timepoints; t++)
        {
            canvas.Line(X(t), margin / 2.0, X(t), canvas.Height - (margin / 2.0), Grid);
        }

        var rootOf = RootColours(tracks);
        foreach (var tracklet in tracklets)
        {
            var colour = rootOf[tracklet.Spots[0]];
            canvas.Line(X(tracklet.Begin), Y(tracklet), X(tracklet.End), Y(tracklet), colour, 3);
            if (tracklet.Parent is { } parent)
            {
                canvas.Line(X(parent.End), Y(parent), X(tracklet.Begin), Y(tracklet), colour, 1);
            }

            if (children[tracklet].Any())
            {
                canvas.Disc(X(tracklet.End), Y(tracklet), 3, Ink);
            }
        }

        return canvas;
    }

    /// <summary>A loss curve: epochs left to right, loss bottom to top from 0 to the largest value, with a light grid.</summary>
    internal static Canvas LossCurve(IReadOnlyList<double> losses, int width = 600, int height = 300)
    {
        const int margin = 30;
        var canvas = new Canvas(width, height, White);
        var top = losses.Count == 0 ? 1 : Math.Max(1e-9, losses.Max());
        for (var i = 0; i <= 4; i++)
        {
            var y = margin + ((height - (2 * margin)) * i / 4.0);
            canvas.Line(margin, y, width - margin, y, Grid);
        }

        canvas.Line(margin, margin, margin, height - margin, Ink, 2);
        canvas.Line(margin, height - margin, width - margin, height - margin, Ink, 2);
        double X(int i) => margin + ((width - (2.0 * margin)) * i / Math.Max(1, losses.Count - 1));
        double Y(double v) => height - margin - ((height - (2.0 * margin)) * v / top);
        for (var i = 1; i < losses.Count; i++)
        {
            canvas.Line(X(i - 1), Y(losses[i - 1]), X(i), Y(losses[i]), (200, 60, 40), 2);
        }

        foreach (var (loss, i) in losses.Select((l, i) => (l, i)))
        {
            canvas.Disc(X(i), Y(loss), 3, (200, 60, 40));
        }

        return canvas;
    }

    private static Dictionary<Spot, (byte R, byte G, byte B)> RootColours(LineageGraph tracks)
    {
        var colours = new Dictionary<Spot, (byte R, byte G, byte B)>();
        foreach (var spot in tracks.Spots.OrderBy(s => s.Timepoint))
        {
            colours[spot] = spot.Incoming.Count > 0 && colours.TryGetValue(spot.Incoming[0].Source, out var inherited)
                ? inherited
                : Canvas.ColourOf(spot.Id + 1);
        }

        return colours;
    }
}
