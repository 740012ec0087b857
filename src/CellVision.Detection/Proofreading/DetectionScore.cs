namespace CellVision.Detection;

/// <summary>
/// Detections scored against a ground-truth instance mask (<see cref="NucleusMatching"/>): a detection is a hit when
/// its centre lies in a counted instance that no earlier detection claimed.
/// </summary>
/// <param name="Detections">Detections that count (those in instances left out of the score are not counted).</param>
/// <param name="Instances">Instances that count.</param>
/// <param name="Hits">Detections that claimed a counted instance.</param>
public sealed record DetectionScore(int Detections, int Instances, int Hits)
{
    /// <summary>Hits per detection (0 without detections).</summary>
    public double Precision => Detections == 0 ? 0 : Hits / (double)Detections;

    /// <summary>Hits per instance (0 without instances).</summary>
    public double Recall => Instances == 0 ? 0 : Hits / (double)Instances;

    /// <summary>The harmonic mean of precision and recall (0 when both are 0).</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}
