using System.Globalization;
using System.Text;

namespace CellVision.IO.Tiff;

/// <summary>
/// ImageJ's hyperstack description (the "ImageJ=" ImageDescription): plane counts, spatial unit, Z spacing,
/// frame interval and display range. Planes are ordered channel fastest, then slice, then frame.
/// </summary>
public sealed record ImageJMetadata
{
    /// <summary>Total planes (channels × slices × frames).</summary>
    public int Images { get; init; } = 1;

    /// <summary>Channels.</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Z slices.</summary>
    public int Slices { get; init; } = 1;

    /// <summary>Time frames.</summary>
    public int Frames { get; init; } = 1;

    /// <summary>Whether the planes form a hyperstack.</summary>
    public bool Hyperstack { get; init; }

    /// <summary>Spatial unit, for example "micron".</summary>
    public string? Unit { get; init; }

    /// <summary>Z step in <see cref="Unit"/>, or null.</summary>
    public double? Spacing { get; init; }

    /// <summary>Time between frames, or null.</summary>
    public double? FrameInterval { get; init; }

    /// <summary>Display minimum, or null.</summary>
    public double? Min { get; init; }

    /// <summary>Display maximum, or null.</summary>
    public double? Max { get; init; }

    /// <summary>Pixel width in <see cref="Unit"/> (from XResolution), or null.</summary>
    public double? PixelWidth { get; init; }

    /// <summary>Pixel height in <see cref="Unit"/> (from YResolution), or null.</summary>
    public double? PixelHeight { get; init; }

    /// <summary>Reads an ImageJ description; null when <paramref name="description"/> is not one.</summary>
    /// <param name="description">The ImageDescription text.</param>
    public static ImageJMetadata? Parse(string? description)
    {
        if (description is null || !description.StartsWith("ImageJ=", StringComparison.Ordinal))
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in description.Split('\n'))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[line[..equals].Trim()] = line[(equals + 1)..].Trim().TrimEnd('\0');
            }
        }

        int Int(string key) => values.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 1;
        double? Real(string key) => values.TryGetValue(key, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
        return new ImageJMetadata
        {
            Images = Int("images"),
            Channels = Int("channels"),
            Slices = Int("slices"),
            Frames = Int("frames"),
            Hyperstack = values.TryGetValue("hyperstack", out var h) && h == "true",
            Unit = values.TryGetValue("unit", out var u) ? Unescape(u) : null,
            Spacing = Real("spacing"),
            FrameInterval = Real("finterval"),
            Min = Real("min"),
            Max = Real("max"),
        };
    }

    /// <summary>The description text ImageJ writes for this metadata (without the terminating NUL).</summary>
    public string ToDescription()
    {
        var text = new StringBuilder("ImageJ=1.54f\n");
        void Line(string key, object value) => text.Append(CultureInfo.InvariantCulture, $"{key}={value}\n");
        if (Images > 1) Line("images", Images);
        if (Channels > 1) Line("channels", Channels);
        if (Slices > 1) Line("slices", Slices);
        if (Frames > 1) Line("frames", Frames);
        if (Hyperstack) Line("hyperstack", "true");
        if (Unit is not null) Line("unit", Escape(Unit));
        if (Spacing is { } spacing && Images > 1) Line("spacing", spacing.ToString("R", CultureInfo.InvariantCulture));
        if (FrameInterval is { } interval) Line("finterval", interval.ToString("R", CultureInfo.InvariantCulture));
        if (Images > 1) Line("loop", "false");
        if (Min is { } min) Line("min", min.ToString("0.0###############", CultureInfo.InvariantCulture));
        if (Max is { } max) Line("max", max.ToString("0.0###############", CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("µ", "\\u00B5", StringComparison.Ordinal);

    private static string Unescape(string value) => value.Replace("\\u00B5", "µ", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
}
