namespace CellVision.Evaluation;

/// <summary>
/// Voxel counts and scores of one class of a semantic segmentation at one probability threshold, over the voxels
/// that count (inside the mask and the metric mask), as incasem reports them.
/// </summary>
public sealed record SemanticScores
{
    /// <summary>The class scored: the target is <c>label == ClassId</c>.</summary>
    public long ClassId { get; init; }

    /// <summary>The threshold: the prediction is <c>probability ≥ Threshold</c> (compared in float32, as NumPy does).</summary>
    public double Threshold { get; init; }

    /// <summary>Voxels that count: inside the border crop, the mask and the metric mask.</summary>
    public long Voxels { get; init; }

    /// <summary>Voxels both predicted and in the target.</summary>
    public long TruePositives { get; init; }

    /// <summary>Voxels predicted but not in the target.</summary>
    public long FalsePositives { get; init; }

    /// <summary>Voxels in the target but not predicted.</summary>
    public long FalseNegatives { get; init; }

    /// <summary>Voxels neither predicted nor in the target.</summary>
    public long TrueNegatives => Voxels - TruePositives - FalsePositives - FalseNegatives;

    /// <summary>
    /// <c>2TP / (2TP + FP + FN)</c>, i.e. <c>1 − scipy.spatial.distance.dice(target, prediction)</c>, the Dice
    /// coefficient; NaN when neither the target nor the prediction holds a voxel (scipy's 0/0).
    /// </summary>
    public double F1 => TruePositives + FalsePositives + FalseNegatives == 0 ? double.NaN : 2.0 * TruePositives / ((2.0 * TruePositives) + FalsePositives + FalseNegatives);

    /// <summary>
    /// <c>TP / (TP + FP + FN)</c>, i.e. <c>1 − scipy.spatial.distance.jaccard(target, prediction)</c>; 1 when neither
    /// holds a voxel (scipy ≥ 1.2 returns a distance of 0 then).
    /// </summary>
    public double Jaccard => TruePositives + FalsePositives + FalseNegatives == 0 ? 1.0 : TruePositives / (double)(TruePositives + FalsePositives + FalseNegatives);

    /// <summary><c>TP / (TP + FP)</c>; 0 when nothing is predicted, as incasem's <c>precision_recall.py</c> sets it.</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? 0.0 : TruePositives / (double)(TruePositives + FalsePositives);

    /// <summary><c>TP / (TP + FN)</c>; 0 when the target is empty, as incasem's <c>precision_recall.py</c> sets it.</summary>
    public double Recall => TruePositives + FalseNegatives == 0 ? 0.0 : TruePositives / (double)(TruePositives + FalseNegatives);
}
