namespace CellVision.Evaluation;

/// <summary>
/// Least-significant-digit radix sort of 64-bit keys that carry an int each (a count or an index): linear in the
/// keys whatever their distribution, where a hash table slows down once it outgrows the caches.
/// </summary>
internal static class KeyRadixSort
{
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;

    /// <summary>Sorts <paramref name="keys"/>, of which only the low <paramref name="bits"/> bits may be set, moving <paramref name="values"/> alongside.</summary>
    internal static void Sort(Span<ulong> keys, Span<int> values, int bits)
    {
        var length = keys.Length;
        if (length < 2)
        {
            return;
        }

        // One read of the keys counts the digits of every pass.
        var passes = (bits + DigitBits - 1) / DigitBits;
        var histograms = new int[passes * Buckets];
        foreach (var key in keys)
        {
            for (var pass = 0; pass < passes; pass++)
            {
                histograms[(pass * Buckets) + (int)((key >> (pass * DigitBits)) & (Buckets - 1))]++;
            }
        }

        var keyBuffer = new ulong[length];
        var valueBuffer = new int[length];
        Span<ulong> sourceKeys = keys, targetKeys = keyBuffer;
        Span<int> sourceValues = values, targetValues = valueBuffer;
        for (var pass = 0; pass < passes; pass++)
        {
            var shift = pass * DigitBits;
            var offsets = histograms.AsSpan(pass * Buckets, Buckets);
            if (offsets[(int)((sourceKeys[0] >> shift) & (Buckets - 1))] == length)
            {
                continue; // every key has this digit: the pass would not move anything
            }

            var sum = 0;
            for (var b = 0; b < Buckets; b++)
            {
                (offsets[b], sum) = (sum, sum + offsets[b]);
            }

            for (var i = 0; i < length; i++)
            {
                var slot = offsets[(int)((sourceKeys[i] >> shift) & (Buckets - 1))]++;
                targetKeys[slot] = sourceKeys[i];
                targetValues[slot] = sourceValues[i];
            }

            var keysRead = sourceKeys;
            sourceKeys = targetKeys;
            targetKeys = keysRead;
            var valuesRead = sourceValues;
            sourceValues = targetValues;
            targetValues = valuesRead;
        }

        if (sourceKeys != keys)
        {
            sourceKeys.CopyTo(keys);
            sourceValues.CopyTo(values);
        }
    }

    /// <summary>Sorts the keys with their counts, then folds equal keys into one entry with the summed count.</summary>
    /// <returns>How many distinct keys lead the spans afterwards.</returns>
    internal static int SortAndFold(Span<ulong> keys, Span<int> counts, int bits)
    {
        Sort(keys, counts, bits);
        var distinct = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (distinct > 0 && keys[distinct - 1] == keys[i])
            {
                counts[distinct - 1] += counts[i];
            }
            else
            {
                keys[distinct] = keys[i];
                counts[distinct] = counts[i];
                distinct++;
            }
        }

        return distinct;
    }
}
