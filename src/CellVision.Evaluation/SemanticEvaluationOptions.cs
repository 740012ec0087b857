namespace CellVision.Evaluation;

/// <summary>
/// How <see cref="SemanticEvaluator"/> turns probabilities into predictions and which voxels it counts, with the
/// defaults of incasem's <c>scripts/04_postprocessing/05_evaluate_metric.py</c>.
/// </summary>
public sealed record SemanticEvaluationOptions
{
    private static readonly IReadOnlyList<double> Half = [0.5];

    /// <summary>
    /// Probability thresholds, each in [0, 1]; one score per threshold (reference: 0.5 only; the script sweeps a list
    /// when given one).
    /// </summary>
    public IReadOnlyList<double> Thresholds { get; init; } = Half;

    /// <summary>
    /// Voxels left out on every side of every axis (reference: <c>--roi_padding 46</c>, the part of the prediction that
    /// block-wise inference leaves unfilled). incasem's scores logged during prediction use 0.
    /// </summary>
    public int Border { get; init; } = 46;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No threshold, a threshold outside [0, 1], or a negative border.</exception>
    public void Validate()
    {
        if (Thresholds is null || Thresholds.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Thresholds), "Give at least one probability threshold.");
        }

        foreach (var threshold in Thresholds)
        {
            if (!(threshold is >= 0 and <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(Thresholds), threshold, "Probability thresholds must lie in [0, 1].");
            }
        }

        if (Border < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Border), Border, "The border must be at least 0 voxels.");
        }
    }
}
