namespace CellVision.Tracking;

/// <summary>Flow training settings, with ELEPHANT's client defaults.</summary>
public sealed record FlowTrainingOptions
{
    /// <summary>Training crop (Z, Y, X) in voxels, clipped to the frame (ELEPHANT: 16 × 256 × 256, as for detection).</summary>
    public (int Depth, int Height, int Width) CropSize { get; init; } = (16, 256, 256);

    /// <summary>Crops drawn from each frame pair per epoch (ELEPHANT's n_crops: 5).</summary>
    public int CropsPerTimepoint { get; init; } = 5;

    /// <summary>Epochs of batch training (ELEPHANT: 10).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Crops per optimiser step (ELEPHANT: 1).</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Adam learning rate (ELEPHANT: 0.001).</summary>
    public double LearningRate { get; init; } = 0.001;

    /// <summary>
    /// Scale augmentation base f, 0 ≤ f &lt; 1 (ELEPHANT's aug_scale_factor_base; client default 0 = off): each axis's
    /// source extent is drawn from about crop·(1 ± f·min(voxel size)/voxel size) and resampled to the crop, the flow
    /// components multiplied by the zoom.
    /// </summary>
    public double ScaleAugmentation { get; init; }

    /// <summary>
    /// Rotation augmentation A in degrees (ELEPHANT's aug_rotation_angle; client default 0 = off): the crop is rotated in
    /// XY by an integer angle drawn from [−A, A] and the flow vectors with it. Works without scale augmentation (which
    /// ELEPHANT's does not).
    /// </summary>
    public int RotationAngle { get; init; }

    /// <summary>
    /// Weights of the X, Y, Z instance-loss terms, normalised to sum 1 (ELEPHANT's training: always (1/3, 1/3, 1/3);
    /// here honoured, so the client's "flow dim weight" (ELEPHANT's server default (0.1, 0.1, 0.8)) can be used).
    /// </summary>
    public (double X, double Y, double Z) DimensionWeights { get; init; } = (1.0 / 3, 1.0 / 3, 1.0 / 3);

    /// <summary>
    /// The norm factor of the labels, also used to warp frame t + 1 in the SSIM term; null for
    /// <see cref="FlowNormFactor.FromKeepAxials"/> of the trainer's keep-axial flags with 80 voxels (ELEPHANT warps with
    /// (80, 80, 10) whatever its labels use; both agree for its client's usual n_keep_axials of 3).
    /// </summary>
    public FlowNormFactor? NormFactor { get; init; }

    /// <summary>Seed of the crop positions and augmentations (and, through <c>CellVisionContext.Tracking.TrainFlow</c>, of the initial weights); null for a random seed.</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// Run every float32 CPU 3-D convolution on oneDNN (default; see <see cref="CellVision.Torch.Conv3dKernels"/>).
    /// PyTorch's own choice sends single-channel inputs and U-Net bottlenecks to a kernel 5–20 times slower; results
    /// differ from it by float32 rounding only. False reproduces PyTorch's choice and its results.
    /// </summary>
    public bool OneDnnConvolutions { get; init; } = true;
}
