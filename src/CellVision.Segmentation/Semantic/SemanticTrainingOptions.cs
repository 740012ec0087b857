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

    /// <summary>Optimiser steps to run in all, counting those of a resumed checkpoint (incasem: 200,000; its README fine-tunes for 5,000–15,000).</summary>
    public long Iterations { get; init; } = 200_000;

    /// <summary>The network's input block, Z, Y, X (incasem: 204³, which gives 110³ outputs).</summary>
    public (int Z, int Y, int X) InputSize { get; init; } = (204, 204, 204);

    /// <summary>The checkpoint is written every this many steps, and when training stops (incasem: 1,000).</summary>
    public int CheckpointInterval { get; init; } = 1000;

    /// <summary>The validation data sets are predicted and scored every this many steps (incasem: 1,000).</summary>
    public int ValidationInterval { get; init; } = 1000;

    /// <summary>How blocks are drawn; null for incasem's rules.</summary>
    public SemanticSamplingOptions? Sampling { get; init; }

    /// <summary>The augmentations; null for incasem's.</summary>
    public SemanticAugmentationOptions? Augmentation { get; init; }

    /// <summary>Seeds the draws of blocks and augmentations (default 0): the same seed and data give the same run.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Run every float32 CPU 3-D convolution on oneDNN (default; see <see cref="CellVision.Torch.Conv3dKernels"/>):
    /// results differ from PyTorch's own kernel choice by float32 rounding only.
    /// </summary>
    public bool OneDnnConvolutions { get; init; } = true;

    /// <summary>Checks every value and returns this instance.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public SemanticTrainingOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Iterations, nameof(Iterations));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(CheckpointInterval, nameof(CheckpointInterval));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ValidationInterval, nameof(ValidationInterval));
        if (InputSize.Z < 1 || InputSize.Y < 1 || InputSize.X < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, "The input block must be at least one voxel along each axis.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate, nameof(LearningRate));
        ArgumentOutOfRangeException.ThrowIfNegative(WeightDecay, nameof(WeightDecay));
        if (!(ClipMin > 0 && ClipMin <= ClipMax && ClipMax <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ClipMin), $"The clips must satisfy 0 < ClipMin ≤ ClipMax ≤ 1; got {ClipMin} and {ClipMax}.");
        }

        Sampling?.Validate();
        Augmentation?.Validate();
        return this;
    }
}
