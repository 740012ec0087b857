using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;

namespace CellVision.Core.Diagnostics;

/// <summary>Short culture-invariant texts and measurements for log messages and errors.</summary>
public static class Describe
{
    /// <summary>"D×H×W" of a volume.</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="volume">The volume.</param>
    public static string Shape<T>(Volume<T> volume)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        return Shape(volume.Depth, volume.Height, volume.Width);
    }

    /// <summary>"D×H×W".</summary>
    /// <param name="depth">Planes.</param>
    /// <param name="height">Rows.</param>
    /// <param name="width">Columns.</param>
    public static string Shape(int depth, int height, int width) =>
        string.Create(CultureInfo.InvariantCulture, $"{depth}×{height}×{width}");

    /// <summary>"Timepoint 3", or <paramref name="alone"/> for a frame given on its own.</summary>
    /// <param name="timepoint">The timepoint, or null.</param>
    /// <param name="alone">The text without a timepoint.</param>
    public static string Frame(int? timepoint, string alone = "The frame") =>
        timepoint is { } t ? string.Create(CultureInfo.InvariantCulture, $"Timepoint {t}") : alone;

    /// <summary>"X×Y×Z µm" with four significant digits.</summary>
    /// <param name="size">The voxel size.</param>
    public static string Size(VoxelSize size) =>
        string.Create(CultureInfo.InvariantCulture, $"{size.X:G4}×{size.Y:G4}×{size.Z:G4} µm");

    /// <summary>Milliseconds since a <see cref="Stopwatch.GetTimestamp"/>.</summary>
    /// <param name="start">The timestamp.</param>
    public static double Milliseconds(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    /// <summary>The smallest and largest voxel value; (0, 0) for an empty volume.</summary>
    /// <param name="volume">The volume.</param>
    public static (ushort Min, ushort Max) Range(Volume<ushort> volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume.Length == 0 ? ((ushort)0, (ushort)0) : (TensorPrimitives.Min<ushort>(volume.Span), TensorPrimitives.Max<ushort>(volume.Span));
    }

    /// <summary>Whether every voxel holds the same value (a blank or saturated frame).</summary>
    /// <param name="volume">The volume.</param>
    public static bool IsConstant(Volume<ushort> volume)
    {
        var (min, max) = Range(volume);
        return min == max;
    }

    /// <summary>"1, 2, 3", cut after <paramref name="limit"/> values with the total count.</summary>
    /// <param name="values">The values.</param>
    /// <param name="limit">How many to show.</param>
    public static string List(IEnumerable<int> values, int limit = 10)
    {
        var all = values.ToList();
        var shown = string.Join(", ", all.Take(limit).Select(v => v.ToString(CultureInfo.InvariantCulture)));
        return all.Count > limit ? $"{shown}, … ({all.Count} in all)" : shown;
    }
}
