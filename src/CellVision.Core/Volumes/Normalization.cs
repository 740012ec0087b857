using System.Numerics.Tensors;

namespace CellVision.Core.Volumes;

/// <summary>
/// Intensity normalisations used before detection, in float32 as ELEPHANT computes them: min–max to [0, 1]
/// (<c>normalize_zero_one</c>), slice-wise median correction, and percentile normalisation.
/// </summary>
public static class Normalization
{
    /// <summary>
    /// ELEPHANT's per-volume min–max normalisation in place: <c>x −= min(x)</c>, then, when the new maximum is above 0,
    /// <c>x /= max(x)</c> (float32 arithmetic, as NumPy does it).
    /// </summary>
    /// <param name="values">The voxels.</param>
    /// <exception cref="ArgumentException">The span is empty or holds NaN.</exception>
    public static void MinMaxToUnit(Span<float> values)
    {
        CheckFinite(values);
        var min = TensorPrimitives.Min<float>(values);
        TensorPrimitives.Subtract(values, min, values);
        var max = TensorPrimitives.Max<float>(values);
        if (max > 0)
        {
            TensorPrimitives.Divide(values, max, values);
        }
    }

    /// <summary>
    /// Raw uint16 intensities as a new float32 volume normalised by <see cref="MinMaxToUnit(Span{float})"/> (ELEPHANT's
    /// per-timepoint input normalisation); voxel size and origin are kept. The caller disposes the result.
    /// </summary>
    /// <param name="volume">The raw volume.</param>
    /// <exception cref="ArgumentException">The volume is empty.</exception>
    public static Volume<float> MinMaxToUnit(Volume<ushort> volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var normalised = new Volume<float>(volume.Depth, volume.Height, volume.Width, volume.VoxelSize, volume.Origin);
        var source = volume.Span;
        var target = normalised.Span;
        for (var i = 0; i < source.Length; i++)
        {
            target[i] = source[i];
        }

        MinMaxToUnit(target);
        return normalised;
    }

    /// <summary>
    /// ELEPHANT's slice-wise median correction in place: with <c>g</c> the median of the whole volume and <c>m</c> the
    /// median of plane z, every plane with <c>m &gt; 0</c> gets <c>m − g</c> subtracted (float32).
    /// </summary>
    /// <param name="volume">A 3-D volume.</param>
    public static void SliceWiseMedianCorrection(Volume<float> volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        CheckFinite(volume.Span);
        var global = Median(volume.Span);
        for (var z = 0; z < volume.Depth; z++)
        {
            var plane = volume.Plane(z);
            var median = Median(plane);
            if (median > 0)
            {
                TensorPrimitives.Subtract(plane, median - global, plane);
            }
        }
    }

    /// <summary>
    /// Maps the <paramref name="lowPercentile"/> and <paramref name="highPercentile"/> percentiles (NumPy's default linear
    /// method, in float64) to 0 and 1: <c>x' = (x − low) / (high − low)</c> in float64, stored as float32; values beyond are
    /// not clipped unless <paramref name="clip"/>.
    /// </summary>
    /// <param name="values">The voxels, normalised in place.</param>
    /// <param name="lowPercentile">Lower percentile in [0, 100] (common choice 1).</param>
    /// <param name="highPercentile">Upper percentile in [0, 100] (common choice 99.8).</param>
    /// <param name="clip">Clamp the result to [0, 1].</param>
    public static void PercentileToUnit(Span<float> values, double lowPercentile = 1, double highPercentile = 99.8, bool clip = false)
    {
        CheckFinite(values);
        if (!(lowPercentile >= 0 && lowPercentile < highPercentile && highPercentile <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(lowPercentile), $"Percentiles must satisfy 0 ≤ low < high ≤ 100; got {lowPercentile} and {highPercentile}.");
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var low = Percentile(sorted, lowPercentile);
        var high = Percentile(sorted, highPercentile);
        var range = high - low;
        for (var i = 0; i < values.Length; i++)
        {
            var scaled = range > 0 ? (values[i] - low) / range : 0.0;
            values[i] = (float)(clip ? Math.Clamp(scaled, 0, 1) : scaled);
        }
    }

    /// <summary>NumPy's <c>np.median</c> of float32 values: the middle value, or the float32 mean of the two middle values.</summary>
    /// <param name="values">The values (not modified).</param>
    public static float Median(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        }

        var copy = values.ToArray();
        Array.Sort(copy);
        var middle = copy.Length / 2;
        return copy.Length % 2 == 1 ? copy[middle] : (copy[middle - 1] + copy[middle]) / 2f;
    }

    /// <summary>NumPy's default ("linear") percentile of sorted float32 values, in float64.</summary>
    /// <param name="sorted">Values in ascending order.</param>
    /// <param name="percentile">In [0, 100].</param>
    public static double Percentile(ReadOnlySpan<float> sorted, double percentile)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("The percentile of no values is undefined.", nameof(sorted));
        }

        var virtualIndex = percentile / 100.0 * (sorted.Length - 1);
        var previous = (int)Math.Floor(virtualIndex);
        var next = Math.Min(previous + 1, sorted.Length - 1);
        var gamma = virtualIndex - previous;
        var a = sorted[previous];
        var b = sorted[next];
        var difference = b - a;
        return gamma >= 0.5 ? b - (difference * (1 - gamma)) : a + (difference * gamma);
    }

    private static void CheckFinite(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("There are no voxels to normalise.", nameof(values));
        }

        if (HasNaN(values))
        {
            throw new ArgumentException("The voxels contain NaN; normalisation would spread it everywhere.", nameof(values));
        }
    }

    private static bool HasNaN(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            if (float.IsNaN(v))
            {
                return true;
            }
        }

        return false;
    }
}
