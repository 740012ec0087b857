namespace CellVision.Tracking;

/// <summary>One epoch of the metric-learning training.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="TrainingLoss">The mean multi-similarity loss of its batches.</param>
/// <param name="ValidationMapAtR">MAP@R of the validation ids' embeddings (NaN without validation ids).</param>
public readonly record struct CellEmbeddingEpoch(int Epoch, double TrainingLoss, double ValidationMapAtR);
