using System.Numerics;
using System.Runtime.InteropServices;
using CellVision.Core.Volumes;
using CellVision.IO.Ctc;

namespace CellVision.Evaluation;

/// <summary>
/// The overlap of a reference (GT) and a result label image of one frame, and the CTC vertex matching: reference
/// object R matches result object S when |R ∩ S| &gt; 0.5·|R| (strict), so each R matches at most one S while an S
/// may match several R.
/// </summary>
internal sealed class FrameOverlap
{
    private FrameOverlap(uint[] gtLabels, long[] gtSizes, uint[] resLabels, long[] resSizes)
    {
        GtLabels = gtLabels;
        GtSizes = gtSizes;
        ResLabels = resLabels;
        ResSizes = resSizes;
        GtMatch = new int[gtLabels.Length];
        Array.Fill(GtMatch, -1);
        GtIntersection = new long[gtLabels.Length];
        ResMatchCount = new int[resLabels.Length];
    }

    /// <summary>Reference labels present, ascending.</summary>
    internal uint[] GtLabels { get; }

    /// <summary>Voxels of each reference label.</summary>
    internal long[] GtSizes { get; }

    /// <summary>Result labels present, ascending.</summary>
    internal uint[] ResLabels { get; }

    /// <summary>Voxels of each result label.</summary>
    internal long[] ResSizes { get; }

    /// <summary>For each reference label, the index of the result label it matches, or -1.</summary>
    internal int[] GtMatch { get; }

    /// <summary>For each reference label, its intersection with the matched result label (0 when unmatched).</summary>
    internal long[] GtIntersection { get; }

    /// <summary>For each result label, how many reference labels it matches.</summary>
    internal int[] ResMatchCount { get; }

    /// <summary>For each result label that matches exactly one reference label, that label's index; otherwise -1.</summary>
    internal int[] ResUniqueMatch { get; private set; } = [];

    /// <summary>The index of a reference label, or -1 when absent.</summary>
    internal int GtIndex(int label) => label <= 0 ? -1 : Math.Max(-1, Array.BinarySearch(GtLabels, (uint)label));

    /// <summary>The index of a result label, or -1 when absent.</summary>
    internal int ResIndex(int label) => label <= 0 ? -1 : Math.Max(-1, Array.BinarySearch(ResLabels, (uint)label));

    /// <summary>The reference label indices matched by result label <paramref name="resIndex"/>.</summary>
    internal IEnumerable<int> MatchesOf(int resIndex)
    {
        for (var i = 0; i < GtMatch.Length; i++)
        {
            if (GtMatch[i] == resIndex)
            {
                yield return i;
            }
        }
    }

    /// <summary>The Jaccard index of reference label <paramref name="gtIndex"/> with its match (0 when unmatched).</summary>
    internal double Jaccard(int gtIndex)
    {
        var match = GtMatch[gtIndex];
        if (match < 0)
        {
            return 0;
        }

        double intersection = GtIntersection[gtIndex];
        return intersection / (GtSizes[gtIndex] + (double)ResSizes[match] - intersection);
    }

    /// <summary>Overlap of two whole frames of the same shape.</summary>
    internal static FrameOverlap Compute(LabelFrame gt, LabelFrame res) => gt.Volume switch
    {
        Volume<byte> g => WithResult<byte>(g.Span, res, -1),
        Volume<ushort> g => WithResult<ushort>(g.Span, res, -1),
        Volume<uint> g => WithResult<uint>(g.Span, res, -1),
        _ => throw new InvalidOperationException("Unexpected label volume type."),
    };

    /// <summary>Overlap of a 2-D reference with plane <paramref name="resultPlane"/> of the result.</summary>
    internal static FrameOverlap ComputeWithPlane(LabelFrame gt, LabelFrame res, int resultPlane) => gt.Volume switch
    {
        Volume<byte> g => WithResult<byte>(g.Span, res, resultPlane),
        Volume<ushort> g => WithResult<ushort>(g.Span, res, resultPlane),
        Volume<uint> g => WithResult<uint>(g.Span, res, resultPlane),
        _ => throw new InvalidOperationException("Unexpected label volume type."),
    };

    /// <summary>Overlap of two label spans of equal length (any unsigned integer types).</summary>
    internal static FrameOverlap Compute<TG, TR>(ReadOnlySpan<TG> gt, ReadOnlySpan<TR> res)
        where TG : unmanaged, IBinaryInteger<TG>
        where TR : unmanaged, IBinaryInteger<TR>
    {
        if (gt.Length != res.Length)
        {
            throw new ArgumentException($"The label images differ in size ({gt.Length} and {res.Length} voxels).", nameof(res));
        }

        var gtSizes = new Dictionary<uint, long>();
        var resSizes = new Dictionary<uint, long>();
        var intersections = new Dictionary<ulong, long>();
        var length = gt.Length;
        var i = 0;
        while (i < length)
        {
            // Runs of equal (reference, result) pairs cost one dictionary update each.
            var g = gt[i];
            var r = res[i];
            var j = i + 1;
            while (j < length && gt[j] == g && res[j] == r)
            {
                j++;
            }

            long run = j - i;
            var gl = uint.CreateTruncating(g);
            var rl = uint.CreateTruncating(r);
            if (gl != 0)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(gtSizes, gl, out _) += run;
                if (rl != 0)
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(intersections, ((ulong)gl << 32) | rl, out _) += run;
                }
            }

            if (rl != 0)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(resSizes, rl, out _) += run;
            }

            i = j;
        }

        var gtLabels = gtSizes.Keys.Order().ToArray();
        var resLabels = resSizes.Keys.Order().ToArray();
        var overlap = new FrameOverlap(gtLabels, gtLabels.Select(l => gtSizes[l]).ToArray(), resLabels, resLabels.Select(l => resSizes[l]).ToArray());
        foreach (var (key, count) in intersections)
        {
            var gi = Array.BinarySearch(gtLabels, (uint)(key >> 32));
            if (2 * count > overlap.GtSizes[gi])
            {
                var ri = Array.BinarySearch(resLabels, (uint)key);
                overlap.GtMatch[gi] = ri;
                overlap.GtIntersection[gi] = count;
                overlap.ResMatchCount[ri]++;
            }
        }

        overlap.ResUniqueMatch = new int[resLabels.Length];
        Array.Fill(overlap.ResUniqueMatch, -1);
        for (var gi = 0; gi < gtLabels.Length; gi++)
        {
            var ri = overlap.GtMatch[gi];
            if (ri >= 0 && overlap.ResMatchCount[ri] == 1)
            {
                overlap.ResUniqueMatch[ri] = gi;
            }
        }

        return overlap;
    }

    private static FrameOverlap WithResult<TG>(ReadOnlySpan<TG> gt, LabelFrame res, int plane)
        where TG : unmanaged, IBinaryInteger<TG> => res.Volume switch
        {
            Volume<byte> r => Compute(gt, (ReadOnlySpan<byte>)(plane < 0 ? r.Span : r.Plane(plane))),
            Volume<ushort> r => Compute(gt, (ReadOnlySpan<ushort>)(plane < 0 ? r.Span : r.Plane(plane))),
            Volume<uint> r => Compute(gt, (ReadOnlySpan<uint>)(plane < 0 ? r.Span : r.Plane(plane))),
            _ => throw new InvalidOperationException("Unexpected label volume type."),
        };
}
