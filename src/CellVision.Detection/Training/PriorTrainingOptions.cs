namespace CellVision.Detection;

/// <summary>Settings of ELEPHANT's self-supervised prior training of a fresh detection model ("Default" reset), with its values.</summary>
public sealed record PriorTrainingOptions
{
    /// <summary>Training crop (Z, Y, X) in voxels, clipped to the frame (ELEPHANT takes the training crop: 16 × 256 × 256).</summary>
    public (int Depth, int Height, int Width) CropSize { get; init; } = (16, 256, 256);

    /// <summary>
    /// Crops (steps) per run, each from a uniformly drawn frame at a uniformly drawn position (ELEPHANT's n_crops: 5; its
    /// paper says three volumes). 0 skips prior training, as ELEPHANT does.
    /// </summary>
    public int Crops { get; init; } = 5;

    /// <summary>One run of <see cref="Crops"/> steps per learning rate, each with a fresh Adam (ELEPHANT: 1e-2, 1e-3, 1e-4).</summary>
    public IReadOnlyList<double> LearningRates { get; init; } = [1e-2, 1e-3, 1e-4];

    /// <summary>Scale augmentation base of the crops (ELEPHANT: 0.2); there is no rotation, contrast or flip.</summary>
    public double ScaleAugmentation { get; init; } = 0.2;

    /// <summary>Seed of the frames, crop positions and scales; null for a random seed.</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// Run every float32 CPU 3-D convolution on oneDNN (default; see <see cref="CellVision.Torch.Conv3dKernels"/>).
    /// PyTorch's own choice sends single-channel inputs and U-Net bottlenecks to a kernel 5–20 times slower; results
    /// differ from it by float32 rounding only. False reproduces PyTorch's choice and its results.
    /// </summary>
    public bool OneDnnConvolutions { get; init; } = true;
}
