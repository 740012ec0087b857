namespace CellVision.Segmentation;

/// <summary>
/// One optimiser step of flood-filling training (spec A.4.6): the step's loss, and the voxel counts of the examples that
/// finished during it (the whole patch's mask at the move threshold against the labels).
/// </summary>
/// <param name="Step">The step just taken (1-based, counting resumed steps).</param>
/// <param name="MaxSteps">The step at which training ends.</param>
/// <param name="Loss">The step's mean sigmoid cross-entropy.</param>
/// <param name="Examples">Examples that finished during the step.</param>
/// <param name="TruePositives">Voxels in the mask and the object.</param>
/// <param name="FalsePositives">Voxels in the mask, not in the object.</param>
/// <param name="FalseNegatives">Voxels in the object, not in the mask.</param>
/// <param name="TrueNegatives">Voxels in neither.</param>
/// <param name="Elapsed">Time since training (or its resumption) started.</param>
public readonly record struct FloodFillTrainingProgress(
    long Step, long MaxSteps, double Loss, int Examples, long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives, TimeSpan Elapsed)
{
    /// <summary>TP / (TP + FP); NaN without predicted voxels.</summary>
    public double Precision => (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN); NaN without object voxels.</summary>
    public double Recall => (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>The harmonic mean of precision and recall.</summary>
    public double F1 => 2.0 * TruePositives / ((2.0 * TruePositives) + FalsePositives + FalseNegatives);
}
