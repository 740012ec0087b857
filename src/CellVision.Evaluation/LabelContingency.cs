using System.Numerics;
using System.Runtime.InteropServices;

namespace CellVision.Evaluation;

/// <summary>
/// The sparse contingency table of two label images of equal size: for every pair (true label, test label) that
/// occurs, the number of voxels carrying it (scikit-image's <c>contingency_table</c> without normalisation, keeping
/// every label). Labels are held as 64-bit signed integers; the pairs are sorted by true label, then test label.
/// </summary>
internal sealed class LabelContingency
{
    private const ulong SignBit = 1UL << 63;

    private LabelContingency(long[] truth, long[] test, long[] counts)
    {
        Truth = truth;
        Test = test;
        Counts = counts;
        ByTest = OrderByTest(test);
        TruthLabelCount = CountRuns(truth.Length, i => truth[i]);
        TestLabelCount = CountRuns(test.Length, i => test[ByTest[i]]);
    }

    /// <summary>The true label of each pair, ascending.</summary>
    internal long[] Truth { get; }

    /// <summary>The test label of each pair, ascending within one true label.</summary>
    internal long[] Test { get; }

    /// <summary>The voxels of each pair.</summary>
    internal long[] Counts { get; }

    /// <summary>The pair indices ordered by test label, so that each segment's pairs are one run.</summary>
    internal int[] ByTest { get; }

    /// <summary>Distinct true labels.</summary>
    internal int TruthLabelCount { get; }

    /// <summary>Distinct test labels.</summary>
    internal int TestLabelCount { get; }

    /// <summary>Counts the label pairs of two label images of equal length, in blocks on several threads.</summary>
    internal static unsafe LabelContingency Count<TTruth, TTest>(ReadOnlySpan<TTruth> truth, ReadOnlySpan<TTest> test, int maxDegreeOfParallelism, CancellationToken cancellationToken)
        where TTruth : unmanaged, IBinaryInteger<TTruth>
        where TTest : unmanaged, IBinaryInteger<TTest>
    {
        fixed (TTruth* truthPointer = truth)
        fixed (TTest* testPointer = test)
        {
            // Spans cannot enter the workers' lambdas; the pinned addresses can.
            var blocks = new Blocks<TTruth, TTest>((nint)truthPointer, (nint)testPointer, truth.Length, maxDegreeOfParallelism, cancellationToken);
            var truthRange = blocks.Range(static (b, start, count) => OrderedRange(b.Truth(start, count)));
            var testRange = blocks.Range(static (b, start, count) => OrderedRange(b.Test(start, count)));
            var truthBits = BitsOf(truthRange);
            var testBits = BitsOf(testRange);
            return truthBits + testBits <= 64
                ? CountPacked(blocks, truthRange.Min, testRange.Min, testBits, truthBits + testBits)
                : CountHashed(blocks);
        }
    }

    /// <summary>
    /// The usual case: both labels, less their minimum, fit in one 64-bit key. Each block folds its runs into sorted
    /// (key, count) lists, which are then sorted and folded together.
    /// </summary>
    private static LabelContingency CountPacked<TTruth, TTest>(Blocks<TTruth, TTest> blocks, ulong truthMin, ulong testMin, int testBits, int bits)
        where TTruth : unmanaged, IBinaryInteger<TTruth>
        where TTest : unmanaged, IBinaryInteger<TTest>
    {
        var perBlock = new (ulong[] Keys, int[] Counts, int Kept)[blocks.Count];
        blocks.ForEach((b, block, start, count) =>
        {
            var keys = new ulong[count];
            var counts = new int[count];
            var runs = Runs(b.Truth(start, count), b.Test(start, count), (t, s) => ((t - truthMin) << testBits) | (s - testMin), keys, counts);

            // Folding pays where pairs repeat (real label volumes); runs of mostly distinct pairs go to the final sort as they are.
            var kept = 2 * runs > count ? runs : KeyRadixSort.SortAndFold(keys.AsSpan(0, runs), counts.AsSpan(0, runs), bits);
            perBlock[block] = (keys, counts, kept);
        });

        var allKeys = new ulong[perBlock.Sum(p => (long)p.Kept)];
        var allCounts = new int[allKeys.Length];
        var at = 0;
        foreach (var (keys, counts, kept) in perBlock)
        {
            Array.Copy(keys, 0, allKeys, at, kept);
            Array.Copy(counts, 0, allCounts, at, kept);
            at += kept;
        }

        var pairs = KeyRadixSort.SortAndFold(allKeys, allCounts, bits);
        var testMask = testBits == 64 ? ulong.MaxValue : (1UL << testBits) - 1;
        var truthLabels = new long[pairs];
        var testLabels = new long[pairs];
        var voxels = new long[pairs];
        for (var i = 0; i < pairs; i++)
        {
            truthLabels[i] = LabelOf((testBits == 64 ? 0 : allKeys[i] >> testBits) + truthMin);
            testLabels[i] = LabelOf((allKeys[i] & testMask) + testMin);
            voxels[i] = allCounts[i];
        }

        return new LabelContingency(truthLabels, testLabels, voxels);
    }

    /// <summary>Labels spread too widely to share one 64-bit key (e.g. hashed uint64 ids): a hash table per worker.</summary>
    private static LabelContingency CountHashed<TTruth, TTest>(Blocks<TTruth, TTest> blocks)
        where TTruth : unmanaged, IBinaryInteger<TTruth>
        where TTest : unmanaged, IBinaryInteger<TTest>
    {
        var merged = new Dictionary<LabelPair, long>();
        var locals = new Dictionary<LabelPair, long>[blocks.Count];
        blocks.ForEach((b, block, start, count) =>
        {
            var local = new Dictionary<LabelPair, long>();
            CountBlock(b.Truth(start, count), b.Test(start, count), local);
            locals[block] = local;
        });

        foreach (var local in locals)
        {
            foreach (var (pair, voxels) in local)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(merged, pair, out _) += voxels;
            }
        }

        // Sorting puts the pairs in the order of the packed path, so later sums run in one order.
        var pairs = merged.Keys.ToArray();
        var counts = merged.Values.ToArray();
        Array.Sort(pairs, counts);
        var truthLabels = new long[pairs.Length];
        var testLabels = new long[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            (truthLabels[i], testLabels[i]) = (pairs[i].Truth, pairs[i].Test);
        }

        return new LabelContingency(truthLabels, testLabels, counts);
    }

    /// <summary>A label as a 64-bit unsigned number that keeps the order of its <see cref="long"/> value.</summary>
    private static ulong Ordered<T>(T value)
        where T : unmanaged, IBinaryInteger<T> => (ulong)long.CreateTruncating(value) ^ SignBit;

    private static long LabelOf(ulong ordered) => (long)(ordered ^ SignBit);

    private static int[] OrderByTest(long[] test)
    {
        var order = new int[test.Length];
        if (test.Length == 0)
        {
            return order;
        }

        var min = test.Min();
        var keys = new ulong[test.Length];
        ulong spread = 0;
        for (var i = 0; i < test.Length; i++)
        {
            order[i] = i;
            keys[i] = (ulong)(test[i] - min);
            spread = Math.Max(spread, keys[i]);
        }

        KeyRadixSort.Sort(keys, order, 64 - BitOperations.LeadingZeroCount(spread));
        return order;
    }

    private static int CountRuns(int length, Func<int, long> label)
    {
        var runs = 0;
        for (var i = 0; i < length; i++)
        {
            if (i == 0 || label(i) != label(i - 1))
            {
                runs++;
            }
        }

        return runs;
    }

    private static (ulong Min, ulong Max) OrderedRange<T>(ReadOnlySpan<T> labels)
        where T : unmanaged, IBinaryInteger<T>
    {
        ulong min = ulong.MaxValue, max = 0;
        var i = 0;
        while (i < labels.Length)
        {
            var value = labels[i];
            var ordered = Ordered(value);
            min = Math.Min(min, ordered);
            max = Math.Max(max, ordered);
            while (++i < labels.Length && labels[i] == value)
            {
            }
        }

        return (min, max);
    }

    private static int BitsOf((ulong Min, ulong Max) range) => range.Max < range.Min ? 0 : 64 - BitOperations.LeadingZeroCount(range.Max - range.Min);

    /// <summary>Writes one (key, voxels) entry per run of equal label pairs; returns the number of runs.</summary>
    private static int Runs<TTruth, TTest>(ReadOnlySpan<TTruth> truth, ReadOnlySpan<TTest> test, Func<ulong, ulong, ulong> key, Span<ulong> keys, Span<int> counts)
        where TTruth : unmanaged, IBinaryInteger<TTruth>
        where TTest : unmanaged, IBinaryInteger<TTest>
    {
        var length = truth.Length;
        var runs = 0;
        var i = 0;
        while (i < length)
        {
            var t = truth[i];
            var s = test[i];
            var j = i + 1;
            while (j < length && truth[j] == t && test[j] == s)
            {
                j++;
            }

            keys[runs] = key(Ordered(t), Ordered(s));
            counts[runs] = j - i;
            runs++;
            i = j;
        }

        return runs;
    }

    /// <summary>Adds the pairs of one block, one dictionary update per run of equal pairs.</summary>
    private static void CountBlock<TTruth, TTest>(ReadOnlySpan<TTruth> truth, ReadOnlySpan<TTest> test, Dictionary<LabelPair, long> counts)
        where TTruth : unmanaged, IBinaryInteger<TTruth>
        where TTest : unmanaged, IBinaryInteger<TTest>
    {
        var length = truth.Length;
        var i = 0;
        while (i < length)
        {
            var t = truth[i];
            var s = test[i];
            var j = i + 1;
            while (j < length && truth[j] == t && test[j] == s)
            {
                j++;
            }

            CollectionsMarshal.GetValueRefOrAddDefault(counts, new LabelPair(long.CreateTruncating(t), long.CreateTruncating(s)), out _) += j - i;
            i = j;
        }
    }

    /// <summary>Two pinned label images cut into blocks of voxels that workers take one at a time.</summary>
    private sealed unsafe class Blocks<TTruth, TTest>(nint truth, nint test, int length, int maxDegreeOfParallelism, CancellationToken cancellationToken)
        where TTruth : unmanaged, IBinaryInteger<TTruth>
        where TTest : unmanaged, IBinaryInteger<TTest>
    {
        /// <summary>Voxels handed to one worker at a time.</summary>
        private const int BlockLength = 1 << 20;

        private readonly ParallelOptions parallel = new()
        {
            MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };

        internal int Count { get; } = (int)(((long)length + BlockLength - 1) / BlockLength);

        internal ReadOnlySpan<TTruth> Truth(int start, int count) => new((TTruth*)truth + start, count);

        internal ReadOnlySpan<TTest> Test(int start, int count) => new((TTest*)test + start, count);

        /// <summary>Runs <paramref name="body"/> (blocks, block index, first voxel, voxels) for every block.</summary>
        internal void ForEach(Action<Blocks<TTruth, TTest>, int, int, int> body) =>
            Parallel.For(0, Count, parallel, block =>
            {
                var start = block * BlockLength;
                body(this, block, start, Math.Min(BlockLength, length - start));
            });

        /// <summary>The smallest and largest of the per-block ranges; (ulong.MaxValue, 0) when there is no voxel.</summary>
        internal (ulong Min, ulong Max) Range(Func<Blocks<TTruth, TTest>, int, int, (ulong Min, ulong Max)> ofBlock)
        {
            var ranges = new (ulong Min, ulong Max)[Count];
            ForEach((b, block, start, count) => ranges[block] = ofBlock(b, start, count));
            return ranges.Length == 0 ? (ulong.MaxValue, 0) : (ranges.Min(r => r.Min), ranges.Max(r => r.Max));
        }
    }

    /// <summary>A (true label, test label) pair: a cheap hash for the counting dictionaries, and the table's order.</summary>
    private readonly struct LabelPair(long truth, long test) : IEquatable<LabelPair>, IComparable<LabelPair>
    {
        internal long Truth { get; } = truth;

        internal long Test { get; } = test;

        public bool Equals(LabelPair other) => Truth == other.Truth && Test == other.Test;

        public override bool Equals(object? obj) => obj is LabelPair other && Equals(other);

        public override int GetHashCode()
        {
            var mixed = (((ulong)Truth * 0x9E3779B97F4A7C15UL) ^ (ulong)Test) * 0xBF58476D1CE4E5B9UL;
            return (int)(mixed >> 32);
        }

        public int CompareTo(LabelPair other) => Truth != other.Truth ? Truth.CompareTo(other.Truth) : Test.CompareTo(other.Test);
    }
}
