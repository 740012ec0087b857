namespace CellVision.Evaluation;

/// <summary>How many of each AOGM graph edit the result needs (Matula et al. 2015).</summary>
/// <param name="Splits">NS: Σ (k − 1) over result vertices that match k ≥ 2 reference vertices.</param>
/// <param name="FalseNegatives">FN: reference vertices that no result vertex matches.</param>
/// <param name="FalsePositives">FP: result vertices that match no reference vertex.</param>
/// <param name="RedundantEdges">ED: edges between uniquely matched result vertices with no reference edge.</param>
/// <param name="MissingEdges">EA: reference edges with no edge between the uniquely matched result vertices.</param>
/// <param name="WrongTypeEdges">EC: edges present in both whose types (track link, parent link) differ.</param>
public readonly record struct AogmCounts(int Splits, int FalseNegatives, int FalsePositives, int RedundantEdges, int MissingEdges, int WrongTypeEdges)
{
    /// <summary>The full AOGM: every edit times its weight.</summary>
    /// <param name="weights">The weights.</param>
    public double Aogm(AogmWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return (weights.Split * Splits) + (weights.FalseNegative * FalseNegatives) + (weights.FalsePositive * FalsePositives)
            + (weights.RedundantEdge * RedundantEdges) + (weights.MissingEdge * MissingEdges) + (weights.WrongEdgeType * WrongTypeEdges);
    }

    /// <summary>AOGM-D, the vertex part: NS, FN and FP times their weights.</summary>
    /// <param name="weights">The weights.</param>
    public double DetectionAogm(AogmWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return (weights.Split * Splits) + (weights.FalseNegative * FalseNegatives) + (weights.FalsePositive * FalsePositives);
    }

    /// <summary>AOGM-A, the edge part: ED, EA and EC times their weights.</summary>
    /// <param name="weights">The weights.</param>
    public double LinkingAogm(AogmWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return (weights.RedundantEdge * RedundantEdges) + (weights.MissingEdge * MissingEdges) + (weights.WrongEdgeType * WrongTypeEdges);
    }
}

/// <summary>
/// The Cell Tracking Challenge measures of one sequence. A measure is null when it was not asked for or cannot be
/// computed (SEG without SEG ground truth, LNK without reference edges).
/// </summary>
public sealed record CtcScores
{
    /// <summary>TRA = 1 − min(AOGM, AOGM₀)/AOGM₀.</summary>
    public double? Tra { get; init; }

    /// <summary>DET = 1 − min(AOGM-D, AOGM-D₀)/AOGM-D₀.</summary>
    public double? Det { get; init; }

    /// <summary>SEG: the mean Jaccard index over all reference SEG objects (0 for unmatched ones).</summary>
    public double? Seg { get; init; }

    /// <summary>LNK = 1 − min(AOGM-A, w_EA·|E_GT|)/(w_EA·|E_GT|).</summary>
    public double? Lnk { get; init; }

    /// <summary>OP_CTB = (SEG + TRA)/2.</summary>
    public double? OpCtb { get; init; }

    /// <summary>OP_CSB = (SEG + DET)/2.</summary>
    public double? OpCsb { get; init; }

    /// <summary>The graph edits counted (edge counts are 0 when tracking was not evaluated).</summary>
    public AogmCounts Counts { get; init; }

    /// <summary>AOGM of the result (all six edits); 0 when tracking was not evaluated.</summary>
    public double Aogm { get; init; }

    /// <summary>AOGM₀ = w_FN·|V_GT| + w_EA·|E_GT|, the cost of building the reference from nothing.</summary>
    public double AogmEmpty { get; init; }

    /// <summary>AOGM-D of the result (NS, FN, FP).</summary>
    public double DetectionAogm { get; init; }

    /// <summary>AOGM-D₀ = w_FN·|V_GT|.</summary>
    public double DetectionAogmEmpty { get; init; }

    /// <summary>|V_GT|: reference vertices (labels over all TRA frames).</summary>
    public int ReferenceVertices { get; init; }

    /// <summary>|E_GT|: reference edges (track links plus parent links); 0 when tracking was not evaluated.</summary>
    public int ReferenceEdges { get; init; }

    /// <summary>Result vertices (labels over all result frames).</summary>
    public int ResultVertices { get; init; }

    /// <summary>Reference objects that SEG averaged over.</summary>
    public int SegmentationObjects { get; init; }

    /// <summary>Frames compared.</summary>
    public int Frames { get; init; }
}
