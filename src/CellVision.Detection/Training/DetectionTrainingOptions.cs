namespace CellVision.Detection;

/// <summary>Detection training settings, with ELEPHANT's client defaults.</summary>
public sealed record DetectionTrainingOptions
{
    /// <summary>
    /// The settings for continuing a model after a round of proofreading: 3 epochs at learning rate 1e-4, the rest as
    /// ELEPHANT's defaults. On the PlantSeg ovule crop, retraining at ELEPHANT's 1e-3 restarted Adam with steps large
    /// enough to lose nuclei the model had found; at 1e-4 F1 over the nuclei in view stayed at 0.97–0.985.
    /// </summary>
    public static DetectionTrainingOptions Retraining { get; } = new() { Epochs = 3, LearningRate = 1e-4 };

    /// <summary>Training crop (Z, Y, X) in voxels, clipped to the frame (ELEPHANT: 16 × 256 × 256).</summary>
    public (int Depth, int Height, int Width) CropSize { get; init; } = (16, 256, 256);

    /// <summary>Crops drawn from each annotated timepoint per epoch (ELEPHANT's n_crops: 5).</summary>
    public int CropsPerTimepoint { get; init; } = 5;

    /// <summary>Epochs of batch training (ELEPHANT: 10).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Crops per optimiser step (ELEPHANT: 1).</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Adam learning rate (ELEPHANT: 0.001).</summary>
    public double LearningRate { get; init; } = 0.001;

    /// <summary>Loss weights (ELEPHANT: class weights 1, 10, 10; false weight 10).</summary>
    public DetectionLossOptions Loss { get; init; } = new();

    /// <summary>
    /// Scale augmentation base f, 0 ≤ f &lt; 1 (ELEPHANT's <c>aug_scale_factor_base</c>; default 0 = off; the paper used
    /// 0.5). Each axis gets f_i = f · min(voxel size) / voxel size_i (the voxel size of
    /// <see cref="TrainingFrame.Normalised"/>), so coarse axes are scaled less; a crop of a whole number of voxels drawn
    /// uniformly from [round(c·(1 − f_i)), ⌊c·(1 + f_i)⌋] (clipped to the frame) is resized to the crop size,
    /// trilinearly with aligned corners for intensities and by nearest neighbour for labels.
    /// </summary>
    public double ScaleAugmentation { get; init; }

    /// <summary>
    /// Rotation augmentation: the largest rotation about Z in whole degrees, A (ELEPHANT's <c>aug_rotation_angle</c>;
    /// default 0 = off; the paper used 180 for Parhyale). An angle θ is drawn uniformly from the integers in [−A, A], the
    /// crop is cut larger in Y and X by |cos θ| + |sin θ|, every Z slice is rotated as scikit-image's <c>rotate</c>
    /// (bilinear intensities, nearest labels) and centre-cropped back; a crop whose rotated labels are all 0 is redrawn.
    /// Unlike ELEPHANT, rotation works without scale augmentation and keeps its scaling.
    /// </summary>
    public int RotationAugmentation { get; init; }

    /// <summary>
    /// Contrast augmentation a, 0 ≤ a ≤ 1 (ELEPHANT's <c>aug_contrast</c>; default 0 = off; the paper used 0.5). When a crop
    /// holds nucleus voxels (labels 2, 3, 5, 6) and background voxels (1, 4), the nucleus intensities are multiplied by
    /// k = ((m_nucleus − m_background) · U(a, 1) + m_background) / m_nucleus, which moves their mean towards the background
    /// mean by up to 1 − a of the difference. Applied before rotation.
    /// </summary>
    public double ContrastAugmentation { get; init; }

    /// <summary>
    /// Seed of the crop positions, augmentations and flips and, when <see cref="NucleusDetector"/> creates the network, of
    /// its initial weights: the same seed gives bit-identical weights. Null for a random seed.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>
    /// Run every float32 CPU 3-D convolution on oneDNN (default; see <see cref="CellVision.Torch.Conv3dKernels"/>).
    /// PyTorch's own choice sends single-channel inputs and U-Net bottlenecks to a kernel 5–20 times slower; results
    /// differ from it by float32 rounding only. False reproduces PyTorch's choice and its results.
    /// </summary>
    public bool OneDnnConvolutions { get; init; } = true;
}
