namespace CellVision.Tracking;

/// <summary>
/// Settings of the metric-learning training (<see cref="CellEmbeddingModel.Train"/>), with the defaults of
/// cell-tracker-gnn's <c>configs/metric_learning/config_*.yaml</c> and pytorch-metric-learning 1.3.
/// </summary>
public sealed record CellEmbeddingTrainingOptions
{
    /// <summary>Patches per optimiser step (reference: 32).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Patches per cell id and pass of the sampler, m (reference: 4).</summary>
    public int SamplesPerClass { get; init; } = 4;

    /// <summary>The most epochs (reference: 1000).</summary>
    public int MaxEpochs { get; init; } = 1000;

    /// <summary>
    /// Epochs without a better validation MAP@R before training stops; null runs all <see cref="MaxEpochs"/> (the
    /// reference: its patience argument is commented out).
    /// </summary>
    public int? Patience { get; init; }

    /// <summary>Adam's learning rate for the ResNet trunk (reference: 1e-5).</summary>
    public double TrunkLearningRate { get; init; } = 1e-5;

    /// <summary>Adam's learning rate for the linear embedder (reference: 1e-4).</summary>
    public double EmbedderLearningRate { get; init; } = 1e-4;

    /// <summary>Adam's weight decay for both (reference: 1e-4).</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Share of each sequence's samples, in percent, whose ids go to training; the other ids validate (reference: 80).</summary>
    public double TrainingPercent { get; init; } = CellEmbeddingSplit.DefaultTrainingPercent;

    /// <summary>Patches per forward pass when embedding without gradients (validation and inference); memory only.</summary>
    public int EvaluationBatchSize { get; init; } = 128;

    /// <summary>Seed of the initial weights and the sampler; null for a different run each time (the reference sets none).</summary>
    public int? Seed { get; init; }

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(SamplesPerClass, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxEpochs);
        ArgumentOutOfRangeException.ThrowIfLessThan(EvaluationBatchSize, 1);
        if (Patience is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "The patience must be at least 1 epoch, or null.");
        }

        if (!(TrunkLearningRate > 0 && EmbedderLearningRate > 0 && WeightDecay >= 0 && double.IsFinite(TrunkLearningRate + EmbedderLearningRate + WeightDecay)))
        {
            throw new ArgumentOutOfRangeException(nameof(TrunkLearningRate), "Learning rates must be finite and positive, the weight decay finite and ≥ 0.");
        }

        if (!(TrainingPercent is > 0 and <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(TrainingPercent), TrainingPercent, "The training share must lie in (0, 100] percent.");
        }
    }
}
