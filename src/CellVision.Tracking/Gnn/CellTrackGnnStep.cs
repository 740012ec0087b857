namespace CellVision.Tracking;

/// <summary>What one batch gave: its loss and its edge accuracy.</summary>
/// <param name="Loss">The class-balanced binary cross entropy.</param>
/// <param name="Accuracy">(TP + TN) / E with the reference's validation threshold (logit ≥ 0.5).</param>
/// <param name="Edges">Edges in the batch.</param>
public readonly record struct CellTrackGnnStep(double Loss, double Accuracy, long Edges);
