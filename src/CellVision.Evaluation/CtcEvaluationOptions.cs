namespace CellVision.Evaluation;

/// <summary>
/// The weights of the acyclic oriented graph matching measure (AOGM): the cost of each graph edit that turns the result
/// into the reference. <see cref="Ctc"/> holds the Cell Tracking Challenge's weights, which TRA, DET and LNK use.
/// </summary>
/// <param name="Split">NS: splitting a result vertex that matches k reference vertices (charged k − 1 times).</param>
/// <param name="FalseNegative">FN: adding a missing reference vertex.</param>
/// <param name="FalsePositive">FP: deleting a result vertex that matches nothing.</param>
/// <param name="RedundantEdge">ED: deleting a result edge with no reference counterpart.</param>
/// <param name="MissingEdge">EA: adding a reference edge that the result lacks.</param>
/// <param name="WrongEdgeType">EC: changing an edge's type (track link ↔ parent link).</param>
public sealed record AogmWeights(double Split, double FalseNegative, double FalsePositive, double RedundantEdge, double MissingEdge, double WrongEdgeType)
{
    /// <summary>The CTC weights: NS 5, FN 10, FP 1, ED 1, EA 1.5, EC 1 (java-ctcmetrics <c>TRA.PenaltyConfig</c>, py-ctcmetrics <c>tra.py</c>).</summary>
    public static AogmWeights Ctc { get; } = new(5, 10, 1, 1, 1.5, 1);

    /// <summary>Checks that every weight is finite and not negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative or not finite.</exception>
    public AogmWeights Validate()
    {
        foreach (var (value, name) in new[]
        {
            (Split, nameof(Split)), (FalseNegative, nameof(FalseNegative)), (FalsePositive, nameof(FalsePositive)),
            (RedundantEdge, nameof(RedundantEdge)), (MissingEdge, nameof(MissingEdge)), (WrongEdgeType, nameof(WrongEdgeType)),
        })
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(name, value, "AOGM weights must be finite and not negative.");
            }
        }

        return this;
    }
}

/// <summary>What <see cref="CtcEvaluator"/> computes and how.</summary>
public sealed record CtcEvaluationOptions
{
    /// <summary>Compute TRA and LNK (needs <c>man_track.txt</c> and <c>res_track.txt</c>). Default true.</summary>
    public bool Tracking { get; init; } = true;

    /// <summary>Compute DET (masks only). Default true.</summary>
    public bool Detection { get; init; } = true;

    /// <summary>Compute SEG when the ground truth has a <c>SEG</c> folder with <c>man_seg*.tif</c> files. Default true.</summary>
    public bool Segmentation { get; init; } = true;

    /// <summary>The AOGM weights; the CTC's by default (TRA, DET and LNK are defined with them).</summary>
    public AogmWeights Weights { get; init; } = AogmWeights.Ctc;

    /// <summary>Frames read and matched at once; 0 or less for the number of processors.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>List every error (vertex, split, edge) in the report; false keeps only the counts. Default true.</summary>
    public bool CollectErrors { get; init; } = true;
}
