namespace CellVision.Cli.Report;

/// <summary>An RGB raster with the few drawing operations the report needs (pixels, lines, circles, filled rectangles).</summary>
internal sealed class Canvas
{
    internal Canvas(int width, int height, (byte R, byte G, byte B) background)
    {
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        FillRectangle(0, 0, width, height, background);
    }

    internal int Width { get; }

    internal int Height { get; }

    internal byte[] Pixels { get; }

    internal void Set(int x, int y, (byte R, byte G, byte B) colour)
    {
        if (x < 0 || y < 0 || x >= Width || y >= Height)
        {
            return;
        }

        var index = ((y * Width) + x) * 3;
        Pixels[index] = colour.R;
        Pixels[index + 1] = colour.G;
        Pixels[index + 2] = colour.B;
    }

    internal void FillRectangle(int x, int y, int width, int height, (byte R, byte G, byte B) colour)
    {
        for (var j = Math.Max(0, y); j < Math.Min(Height, y + height); j++)
        {
            for (var i = Math.Max(0, x); i < Math.Min(Width, x + width); i++)
            {
                Set(i, j, colour);
            }
        }
    }

    /// <summary>Bresenham line, <paramref name="thickness"/> pixels wide.</summary>
    internal void Line(double x0, double y0, double x1, double y1, (byte R, byte G, byte B) colour, int thickness = 1)
    {
        var steps = (int)Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0))) + 1;
        var half = thickness / 2;
        for (var s = 0; s <= steps; s++)
        {
            var f = steps == 0 ? 0 : s / (double)steps;
            var x = (int)Math.Round(x0 + (f * (x1 - x0)));
            var y = (int)Math.Round(y0 + (f * (y1 - y0)));
            for (var dy = -half; dy < thickness - half; dy++)
            {
                for (var dx = -half; dx < thickness - half; dx++)
                {
                    Set(x + dx, y + dy, colour);
                }
            }
        }
    }

    internal void Circle(double cx, double cy, double radius, (byte R, byte G, byte B) colour)
    {
        var steps = Math.Max(12, (int)(radius * 8));
        for (var s = 0; s < steps; s++)
        {
            double a0 = 2 * Math.PI * s / steps, a1 = 2 * Math.PI * (s + 1) / steps;
            Line(cx + (radius * Math.Cos(a0)), cy + (radius * Math.Sin(a0)), cx + (radius * Math.Cos(a1)), cy + (radius * Math.Sin(a1)), colour);
        }
    }

    internal void Disc(double cx, double cy, double radius, (byte R, byte G, byte B) colour)
    {
        for (var y = (int)Math.Floor(cy - radius); y <= (int)Math.Ceiling(cy + radius); y++)
        {
            for (var x = (int)Math.Floor(cx - radius); x <= (int)Math.Ceiling(cx + radius); x++)
            {
                if (((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) <= radius * radius)
                {
                    Set(x, y, colour);
                }
            }
        }
    }

    /// <summary>A distinct, bright colour for an integer key (golden-angle hues).</summary>
    internal static (byte R, byte G, byte B) ColourOf(int key)
    {
        var hue = (key * 137.508) % 360;
        return FromHsv(hue, 0.75, 1.0);
    }

    private static (byte R, byte G, byte B) FromHsv(double hue, double saturation, double value)
    {
        var c = value * saturation;
        var x = c * (1 - Math.Abs((hue / 60 % 2) - 1));
        var m = value - c;
        var (r, g, b) = hue switch
        {
            < 60 => (c, x, 0.0),
            < 120 => (x, c, 0.0),
            < 180 => (0.0, c, x),
            < 240 => (0.0, x, c),
            < 300 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return ((byte)Math.Round((r + m) * 255), (byte)Math.Round((g + m) * 255), (byte)Math.Round((b + m) * 255));
    }
}
