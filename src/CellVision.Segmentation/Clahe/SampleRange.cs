using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CellVision.Segmentation;

/// <summary>
/// The minimum and maximum of a span in one vectorised pass, compiled fully optimised on its first call (a volume's
/// first equalisation should not run through generic library code before it is tiered up).
/// </summary>
internal static class SampleRange
{
    /// <summary>The smallest and largest value of a non-empty span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (T Min, T Max) Of<T>(ReadOnlySpan<T> values)
        where T : unmanaged, INumber<T>
    {
        ref var first = ref MemoryMarshal.GetReference(values);
        var (min, max) = (values[0], values[0]);
        var i = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<T>.Count)
        {
            var low = Vector256.LoadUnsafe(ref first);
            var high = low;
            for (i = Vector256<T>.Count; i + Vector256<T>.Count <= values.Length; i += Vector256<T>.Count)
            {
                var block = Vector256.LoadUnsafe(ref first, (nuint)i);
                low = Vector256.Min(low, block);
                high = Vector256.Max(high, block);
            }

            for (var lane = 0; lane < Vector256<T>.Count; lane++)
            {
                min = T.Min(min, low.GetElement(lane));
                max = T.Max(max, high.GetElement(lane));
            }
        }

        for (; i < values.Length; i++)
        {
            min = T.Min(min, values[i]);
            max = T.Max(max, values[i]);
        }

        return (min, max);
    }
}
