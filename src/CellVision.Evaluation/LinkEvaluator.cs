using CellVision.Core.Annotations;

namespace CellVision.Evaluation;

/// <summary>
/// The CTC edge measures for two lineages over the same nuclei — for example the true positions relinked by a linker —
/// without drawing masks. Every vertex matches itself, so the vertex terms of the AOGM (NS, FN, FP) are 0 and only the
/// edge terms remain: redundant (ED), missing (EA) and wrong-type (EC) edges with the CTC weights. An edge is a parent
/// link when its source has two or more children (a division, where the Cell Tracking Challenge format starts new
/// tracks) and a track link otherwise. TRA and LNK are then computed as <see cref="CtcEvaluator"/> computes them from
/// masks.
/// </summary>
public static class LinkEvaluator
{
    /// <summary>Compares the links of <paramref name="result"/> with those of <paramref name="truth"/>.</summary>
    /// <param name="truth">The reference lineage.</param>
    /// <param name="result">A lineage over the same nuclei.</param>
    /// <param name="sameNucleus">The reference spot of each result spot (null when it has none; such links count as redundant).</param>
    /// <param name="weights">AOGM weights; null for the CTC's.</param>
    /// <returns>The scores; vertex counts are 0 and <see cref="CtcScores.Det"/> is 1.</returns>
    public static CtcScores Evaluate(LineageGraph truth, LineageGraph result, Func<Spot, Spot?> sameNucleus, AogmWeights? weights = null)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(sameNucleus);
        weights = (weights ?? AogmWeights.Ctc).Validate();
        var reference = truth.Links.ToDictionary(l => (l.Source, l.Target), IsParentLink);
        int redundant = 0, wrongType = 0, found = 0;
        foreach (var link in result.Links)
        {
            var source = sameNucleus(link.Source);
            var target = sameNucleus(link.Target);
            if (source is null || target is null || !reference.TryGetValue((source, target), out var parentLink))
            {
                redundant++;
                continue;
            }

            found++;
            if (parentLink != IsParentLink(link))
            {
                wrongType++;
            }
        }

        var counts = new AogmCounts(0, 0, 0, redundant, reference.Count - found, wrongType);
        var aogm = counts.Aogm(weights);
        var empty = (weights.FalseNegative * truth.SpotCount) + (weights.MissingEdge * truth.LinkCount);
        var linking = counts.LinkingAogm(weights);
        var linkingEmpty = weights.MissingEdge * truth.LinkCount;
        var tra = empty == 0 ? 1 : 1 - (Math.Min(aogm, empty) / empty);
        var lnk = linkingEmpty == 0 ? 1 : 1 - (Math.Min(linking, linkingEmpty) / linkingEmpty);
        return new CtcScores
        {
            Tra = tra, Det = 1, Lnk = lnk, Counts = counts, Aogm = aogm, AogmEmpty = empty,
            ReferenceVertices = truth.SpotCount, ReferenceEdges = truth.LinkCount, ResultVertices = result.SpotCount,
            Frames = truth.Timepoints.Count(),
        };
    }

    private static bool IsParentLink(Link link) => link.Source.Outgoing.Count >= 2;
}
