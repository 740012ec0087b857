namespace CellVision.Detection;

/// <summary>What a <see cref="ProofreadingSimulator"/> did to one timepoint, and what it left.</summary>
/// <param name="FalsePositivesTagged">Predicted spots tagged <c>fp</c>.</param>
/// <param name="MissedAdded">Missed nuclei added as <c>fn</c> ellipsoids.</param>
/// <param name="Approved">Correct predictions tagged <c>tp</c>.</param>
/// <param name="FalsePositivesLeft">False positives still untagged after the round.</param>
/// <param name="MissedLeft">Nuclei (of at least the minimum visible size) still without a spot after the round.</param>
public sealed record ProofreadingCorrections(int FalsePositivesTagged, int MissedAdded, int Approved, int FalsePositivesLeft, int MissedLeft)
{
    /// <summary>Corrections used: false positives tagged plus nuclei added.</summary>
    public int Corrections => FalsePositivesTagged + MissedAdded;
}
