namespace CellVision.Tracking;

/// <summary>What a metric-learning training did.</summary>
/// <param name="Epochs">Every epoch run.</param>
/// <param name="BestEpoch">The epoch whose weights were kept: the best validation MAP@R (the first of equals), or the last without validation ids; 0 when none ran.</param>
/// <param name="TrainingSamples">Cell instances of the training ids.</param>
/// <param name="ValidationSamples">Cell instances of the validation ids.</param>
/// <param name="Elapsed">The wall-clock time.</param>
public sealed record CellEmbeddingTrainingResult(IReadOnlyList<CellEmbeddingEpoch> Epochs, int BestEpoch, int TrainingSamples, int ValidationSamples, TimeSpan Elapsed);
