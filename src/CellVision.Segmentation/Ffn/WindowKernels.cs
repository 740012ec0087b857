using System.Runtime.Intrinsics;

namespace CellVision.Segmentation;

/// <summary>The canvas's per-step loops over window rows and the logits, vectorised with a scalar tail.</summary>
internal static class WindowKernels
{
    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/>, NaN replaced by <paramref name="replacement"/>.</summary>
    internal static void CopyReplacingNaN(ReadOnlySpan<float> source, Span<float> destination, float replacement)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var pad = Vector256.Create(replacement);
            for (; i + Vector256<float>.Count <= source.Length; i += Vector256<float>.Count)
            {
                var value = Vector256.Create(source.Slice(i, Vector256<float>.Count));
                Vector256.ConditionalSelect(Vector256.Equals(value, value), value, pad).CopyTo(destination[i..]);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = float.IsNaN(source[i]) ? replacement : source[i];
        }
    }

    /// <summary>How many values are at or above <paramref name="threshold"/>; <paramref name="hasNaN"/> tells whether any is NaN.</summary>
    internal static int CountAtLeast(ReadOnlySpan<float> values, float threshold, out bool hasNaN)
    {
        var count = 0;
        var nan = false;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var limit = Vector256.Create(threshold);
            var counts = Vector256<int>.Zero;
            var ordered = Vector256<int>.AllBitsSet;
            for (; i + Vector256<float>.Count <= values.Length; i += Vector256<float>.Count)
            {
                var value = Vector256.Create(values.Slice(i, Vector256<float>.Count));
                counts -= Vector256.GreaterThanOrEqual(value, limit).AsInt32();
                ordered &= Vector256.Equals(value, value).AsInt32();
            }

            count = Vector256.Sum(counts);
            nan = ordered != Vector256<int>.AllBitsSet;
        }

        for (; i < values.Length; i++)
        {
            count += values[i] >= threshold ? 1 : 0;
            nan |= float.IsNaN(values[i]);
        }

        hasNaN = nan;
        return count;
    }

    /// <summary>The disconnected-seed bias on one row: where the old value is below 0 and the prediction rises above it, the old value stays.</summary>
    internal static void KeepFallenValues(ReadOnlySpan<float> old, Span<float> predicted)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<float>.Count <= old.Length; i += Vector256<float>.Count)
            {
                var before = Vector256.Create(old.Slice(i, Vector256<float>.Count));
                var after = Vector256.Create(predicted.Slice(i, Vector256<float>.Count));
                var keep = Vector256.LessThan(before, Vector256<float>.Zero) & Vector256.GreaterThan(after, before);
                Vector256.ConditionalSelect(keep, before, after).CopyTo(predicted[i..]);
            }
        }

        for (; i < old.Length; i++)
        {
            if (old[i] < 0f && predicted[i] > old[i])
            {
                predicted[i] = old[i];
            }
        }
    }
}
