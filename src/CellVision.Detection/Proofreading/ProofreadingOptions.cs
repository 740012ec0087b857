namespace CellVision.Detection;

/// <summary>How a <see cref="ProofreadingSimulator"/> corrects a prediction.</summary>
public sealed record ProofreadingOptions
{
    /// <summary>
    /// Corrections per round and timepoint (default 10): false positives tagged <c>fp</c> plus missed nuclei added as
    /// <c>fn</c>, taken in turn (one false positive, one missed nucleus, …) until the budget or both lists run out.
    /// </summary>
    public int CorrectionsPerRound { get; init; } = 10;

    /// <summary>
    /// Correct detections the proofreader looks at and approves (tags <c>tp</c>) per round and timepoint (default 10).
    /// Approval is not counted as a correction: the detection stays as it is and only gains its tag.
    /// </summary>
    public int ApprovalsPerRound { get; init; } = 10;

    /// <summary>Which false positives are tagged first (default: the most confident).</summary>
    public ProofreadingOrder FalsePositiveOrder { get; init; } = ProofreadingOrder.MostConfidentFirst;

    /// <summary>Which missed nuclei are added first (default: the most voxels in view).</summary>
    public MissedNucleusOrder MissedOrder { get; init; } = MissedNucleusOrder.LargestFirst;

    /// <summary>Which correct detections are approved first (default: the least confident, which a careful user checks).</summary>
    public ProofreadingOrder ApprovalOrder { get; init; } = ProofreadingOrder.LeastConfidentFirst;

    /// <summary>
    /// Nuclei with fewer voxels in view are never added (a user does not see a sliver at the volume's face); 0 adds
    /// any missed nucleus.
    /// </summary>
    public long MinimumVisibleVoxels { get; init; }

    /// <summary>Seed of the <see cref="ProofreadingOrder.Random"/> and <see cref="MissedNucleusOrder.Random"/> orders.</summary>
    public int Seed { get; init; }
}
