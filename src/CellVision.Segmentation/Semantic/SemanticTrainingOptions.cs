namespace CellVision.Segmentation;

/// <summary>incasem's training settings (spec B.4; <c>config_training.yaml</c>).</summary>
public sealed record SemanticTrainingOptions
{
    /// <summary>Adam's step size (incasem: 3e-5).</summary>
    public double LearningRate { get; init; } = 3e-5;

    /// <summary>Adam's L2 weight decay, added to the gradient as <c>torch.optim.Adam</c> does (incasem: 3e-5).</summary>
    public double WeightDecay { get; init; } = 3e-5;

    /// <summary>Lower clip of a class fraction in the loss balancing (incasem: 0.01).</summary>
    public double ClipMin { get; init; } = SemanticLoss.DefaultClipMin;

    /// <summary>Upper clip of a class fraction in the loss balancing (incasem: 0.99).</summary>
    public double ClipMax { get; init; } = SemanticLoss.DefaultClipMax;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate, nameof(LearningRate));
        ArgumentOutOfRangeException.ThrowIfNegative(WeightDecay, nameof(WeightDecay));
        if (!(ClipMin > 0 && ClipMin <= ClipMax && ClipMax <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ClipMin), $"The clips must satisfy 0 < ClipMin ≤ ClipMax ≤ 1; got {ClipMin} and {ClipMax}.");
        }
    }
}
