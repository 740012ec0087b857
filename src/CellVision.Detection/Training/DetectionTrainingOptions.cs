namespace CellVision.Detection.Training;

/// <summary>Detection training settings, with ELEPHANT's client defaults.</summary>
public sealed record DetectionTrainingOptions
{
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

    /// <summary>Seed of the crop positions and flips; null for a random seed.</summary>
    public int? Seed { get; init; }
}
