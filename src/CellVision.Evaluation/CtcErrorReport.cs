namespace CellVision.Evaluation;

/// <summary>A vertex of a CTC tracking graph: a label in a frame.</summary>
/// <param name="Frame">The frame (time point), from 0.</param>
/// <param name="Label">The label in that frame's mask.</param>
public readonly record struct CtcVertex(int Frame, int Label)
{
    /// <inheritdoc />
    public override string ToString() => $"T={Frame} L={Label}";
}

/// <summary>The kinds of edges of a CTC tracking graph.</summary>
public enum CtcEdgeKind
{
    /// <summary>A label to the same label in the next frame.</summary>
    TrackLink,

    /// <summary>The last vertex of a parent track to the first vertex of a child track (P ≠ 0 in the track file).</summary>
    ParentLink,
}

/// <summary>An edge of a CTC tracking graph.</summary>
/// <param name="Source">The earlier vertex.</param>
/// <param name="Target">The later vertex.</param>
/// <param name="Kind">Track link or parent link.</param>
public readonly record struct CtcEdge(CtcVertex Source, CtcVertex Target, CtcEdgeKind Kind)
{
    /// <inheritdoc />
    public override string ToString() => $"[{Source}] -> [{Target}] ({Kind})";
}

/// <summary>A result vertex that matches several reference vertices (it costs k − 1 split operations).</summary>
/// <param name="Result">The result vertex.</param>
/// <param name="ReferenceLabels">The reference labels it matches in that frame, ascending.</param>
public sealed record CtcSplit(CtcVertex Result, IReadOnlyList<int> ReferenceLabels)
{
    /// <summary>The split operations this vertex costs (k − 1).</summary>
    public int Operations => ReferenceLabels.Count - 1;
}

/// <summary>The Jaccard index of one reference SEG object.</summary>
/// <param name="Frame">The frame.</param>
/// <param name="Slice">The Z plane for <c>man_seg_TTT_ZZZ.tif</c> ground truth, otherwise null.</param>
/// <param name="Label">The reference label.</param>
/// <param name="MatchedLabel">The result label it matches (more than half of it covered), or 0.</param>
/// <param name="Jaccard">|R ∩ S| / |R ∪ S|, 0 when unmatched.</param>
public readonly record struct CtcSegmentationObject(int Frame, int? Slice, int Label, int MatchedLabel, double Jaccard);

/// <summary>
/// Every discrepancy the AOGM counts, as the official tool's log lists them. Reference vertices and edges carry
/// reference labels; result vertices and edges carry result labels. Lists are ordered by frame, then label.
/// </summary>
public sealed record CtcErrorReport
{
    /// <summary>An empty report.</summary>
    public static CtcErrorReport Empty { get; } = new();

    /// <summary>FN: reference vertices no result vertex matches.</summary>
    public IReadOnlyList<CtcVertex> FalseNegatives { get; init; } = [];

    /// <summary>FP: result vertices that match no reference vertex.</summary>
    public IReadOnlyList<CtcVertex> FalsePositives { get; init; } = [];

    /// <summary>NS: result vertices that match several reference vertices.</summary>
    public IReadOnlyList<CtcSplit> Splits { get; init; } = [];

    /// <summary>ED: result edges (between uniquely matched vertices) with no reference counterpart.</summary>
    public IReadOnlyList<CtcEdge> RedundantEdges { get; init; } = [];

    /// <summary>EA: reference edges the result lacks.</summary>
    public IReadOnlyList<CtcEdge> MissingEdges { get; init; } = [];

    /// <summary>EC: result edges whose reference counterpart has the other type (the result edge's kind is given).</summary>
    public IReadOnlyList<CtcEdge> WrongTypeEdges { get; init; } = [];

    /// <summary>Per-object Jaccard indices behind SEG (empty when SEG was not computed).</summary>
    public IReadOnlyList<CtcSegmentationObject> SegmentationObjects { get; init; } = [];
}

/// <summary>The outcome of <see cref="CtcEvaluator.Evaluate"/>: the measures and what went wrong.</summary>
/// <param name="Scores">TRA, DET, SEG, LNK, OP_CTB, OP_CSB and the AOGM counts.</param>
/// <param name="Errors">The individual errors (lists are empty when <see cref="CtcEvaluationOptions.CollectErrors"/> is false).</param>
public sealed record CtcEvaluation(CtcScores Scores, CtcErrorReport Errors);
