using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;

namespace CellVision.Hosting.Internal;

/// <summary>Short invariant texts and measurements for log messages.</summary>
internal static class Describe
{
    internal static string Shape<T>(Volume<T> volume)
        where T : unmanaged => Shape(volume.Depth, volume.Height, volume.Width);

    internal static string Shape(int depth, int height, int width) =>
        string.Create(CultureInfo.InvariantCulture, $"{depth}×{height}×{width}");

    /// <summary>"Timepoint 3", or <paramref name="alone"/> for a frame given on its own.</summary>
    internal static string Frame(int? timepoint, string alone = "The frame") =>
        timepoint is { } t ? string.Create(CultureInfo.InvariantCulture, $"Timepoint {t}") : alone;

    internal static string Size(VoxelSize size) =>
        string.Create(CultureInfo.InvariantCulture, $"{size.X:G4}×{size.Y:G4}×{size.Z:G4} µm");

    /// <summary>Milliseconds since a <see cref="Stopwatch.GetTimestamp"/>.</summary>
    internal static double Milliseconds(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    internal static (ushort Min, ushort Max) Range(Volume<ushort> volume) =>
        volume.Length == 0 ? ((ushort)0, (ushort)0) : (TensorPrimitives.Min<ushort>(volume.Span), TensorPrimitives.Max<ushort>(volume.Span));

    internal static bool IsConstant(Volume<ushort> volume)
    {
        var (min, max) = Range(volume);
        return min == max;
    }

    internal static string List(IEnumerable<int> values, int limit = 10)
    {
        var all = values.ToList();
        var shown = string.Join(", ", all.Take(limit).Select(v => v.ToString(CultureInfo.InvariantCulture)));
        return all.Count > limit ? $"{shown}, … ({all.Count} in all)" : shown;
    }
}
