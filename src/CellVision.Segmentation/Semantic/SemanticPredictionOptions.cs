namespace CellVision.Segmentation;

/// <summary>How <see cref="SemanticPredictor"/> scans a volume (incasem's prediction settings, spec B.5).</summary>
public sealed record SemanticPredictionOptions
{
    /// <summary>The network's input block, Z, Y, X (default 204³, incasem's; the output block is 110³ and sets the stride).</summary>
    public (int Z, int Y, int X) InputSize { get; init; } = (204, 204, 204);

    /// <summary>
    /// Blocks read ahead of the network, and finished blocks waiting to be written, on their own threads (default 2).
    /// Memory is bounded by about 2 × this × one block's input and class probabilities, whatever the volume's size.
    /// </summary>
    public int BlocksInFlight { get; init; } = 2;

    /// <summary>
    /// Run every float32 CPU 3-D convolution on oneDNN (default; see <see cref="CellVision.Torch.Conv3dKernels"/>):
    /// results differ from PyTorch's own kernel choice by float32 rounding only. False reproduces PyTorch's choice.
    /// </summary>
    public bool OneDnnConvolutions { get; init; } = true;

    /// <summary>
    /// Mirrors and transposes to average each block's logits over (default none, as incasem predicts): see
    /// <see cref="TestTimeAugmentedNetwork"/>. Each combination costs one more network pass.
    /// </summary>
    public SemanticTestTimeAugmentation TestTimeAugmentation { get; init; } = SemanticTestTimeAugmentation.None;

    /// <summary>Checks every value and returns this instance.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public SemanticPredictionOptions Validate()
    {
        if (InputSize.Z < 1 || InputSize.Y < 1 || InputSize.X < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, "The input block must be at least one voxel along each axis.");
        }

        if (BlocksInFlight is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(BlocksInFlight), BlocksInFlight, "Blocks in flight must lie in 1..64.");
        }

        return this;
    }
}
