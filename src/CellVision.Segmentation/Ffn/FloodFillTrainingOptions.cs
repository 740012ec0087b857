namespace CellVision.Segmentation;

/// <summary>
/// How a flood-filling network is trained (google/ffn <c>train.py</c>, spec A.4). The defaults are the reference's:
/// batches of 4 independent examples, plain SGD at learning rate 0.001 with every gradient entry clipped to ±0.7, seeds
/// padded at 0.05, moves where the mask reaches 0.9, the <c>fixed</c> move policy with one move along each direction
/// (49³ patches for a 33³ field of view and 8³ steps), random reflections of every axis and swaps of Y and X.
/// </summary>
public sealed record FloodFillTrainingOptions
{
    /// <summary>Independent examples per step (default 4; 64 before 2018).</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>The optimiser (default <see cref="FloodFillOptimizer.Sgd"/>, the reference's).</summary>
    public FloodFillOptimizer Optimizer { get; init; } = FloodFillOptimizer.Sgd;

    /// <summary>The optimiser's learning rate (default 0.001).</summary>
    public double LearningRate { get; init; } = 0.001;

    /// <summary>Every gradient entry is clipped to ± this value before the step (default 0.7).</summary>
    public double GradientClip { get; init; } = 0.7;

    /// <summary>Optimiser steps to run in all, counting those of a resumed checkpoint (default 10,000).</summary>
    public long MaxSteps { get; init; } = 10_000;

    /// <summary>The mask probability outside the seed voxel (default 0.05; inference's pad value must match).</summary>
    public double SeedPad { get; init; } = 0.05;

    /// <summary>The seed voxel's probability (default 0.95).</summary>
    public double SeedActivation { get; init; } = 0.95;

    /// <summary>The mask probability at which the field of view may move there (default 0.9; inference's move threshold must match).</summary>
    public double MoveThreshold { get; init; } = 0.9;

    /// <summary>Moves of the field of view from the patch centre along each direction (default 1: 27 candidate positions).</summary>
    public int FieldOfViewMoves { get; init; } = 1;

    /// <summary>How the field of view walks over each patch (default <see cref="FloodFillMovePolicy.Fixed"/>, the reference's).</summary>
    public FloodFillMovePolicy MovePolicy { get; init; } = FloodFillMovePolicy.Fixed;

    /// <summary>Whether Y and X are swapped at random (default true; the reference's <c>permutable_axes</c> 1,2).</summary>
    public bool PermuteYX { get; init; } = true;

    /// <summary>Whether each axis is reflected at random (default true; the reference's <c>reflectable_axes</c> 0,1,2).</summary>
    public bool Reflect { get; init; } = true;

    /// <summary>Subtracted from raw intensities before scaling (default 128, the FIB-25 model's).</summary>
    public double ImageMean { get; init; } = 128;

    /// <summary>Raw intensities are divided by this after the mean is subtracted (default 33).</summary>
    public double ImageStandardDeviation { get; init; } = 33;

    /// <summary>Seeds the move order, the augmentations and the initial weights' use of the coordinates (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>How often the checkpoint is written while training (default 300 s, as the reference).</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Run every float32 CPU 3-D convolution on oneDNN (default; see <see cref="CellVision.Torch.Conv3dKernels"/>).
    /// PyTorch's own choice sends small batches of a small network (for example 16 features at 25³) to a
    /// kernel about five times slower; results differ from it by float32 rounding only. False reproduces PyTorch's
    /// choice and its results.
    /// </summary>
    public bool OneDnnConvolutions { get; init; } = true;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (BatchSize is < 1 or > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must lie in 1..4096.");
        }

        if (!Enum.IsDefined(MovePolicy))
        {
            throw new ArgumentOutOfRangeException(nameof(MovePolicy), MovePolicy, "Unknown move policy.");
        }

        if (!Enum.IsDefined(Optimizer))
        {
            throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "Unknown optimiser.");
        }

        if (!(LearningRate > 0 && double.IsFinite(LearningRate)))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive and finite.");
        }

        if (!(GradientClip > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(GradientClip), GradientClip, "The gradient clip must be positive (use infinity for none).");
        }

        if (MaxSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "At least one step must be run.");
        }

        foreach (var (value, name) in new[] { (SeedPad, nameof(SeedPad)), (SeedActivation, nameof(SeedActivation)), (MoveThreshold, nameof(MoveThreshold)) })
        {
            if (!(value > 0 && value < 1))
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} is a probability strictly between 0 and 1.");
            }
        }

        if (FieldOfViewMoves is < 0 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(FieldOfViewMoves), FieldOfViewMoves, "The field-of-view moves must lie in 0..8.");
        }

        if (!(ImageStandardDeviation > 0) || !double.IsFinite(ImageMean))
        {
            throw new ArgumentOutOfRangeException(nameof(ImageStandardDeviation), ImageStandardDeviation, "The image standard deviation must be positive and the mean finite.");
        }

        if (CheckpointInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckpointInterval), CheckpointInterval, "The checkpoint interval must be positive.");
        }
    }

    /// <summary>
    /// The training patch for a network: the field of view plus 2 · deltas · moves on each axis, with one move more for
    /// <see cref="FloodFillMovePolicy.MaxPredictionMoves"/> (49³ and 65³ for the reference model).
    /// </summary>
    /// <param name="network">The network.</param>
    /// <returns>The patch size, Z, Y, X.</returns>
    public (int Z, int Y, int X) PatchSize(IFloodFillNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var moves = FieldOfViewMoves + (MovePolicy == FloodFillMovePolicy.MaxPredictionMoves ? 1 : 0);
        var (f, d) = (network.FieldOfView, network.Deltas);
        return (f.Z + (2 * d.Z * moves), f.Y + (2 * d.Y * moves), f.X + (2 * d.X * moves));
    }

    /// <summary>The central crop that training-time scores cover: the field of view plus the fixed moves, whatever the policy.</summary>
    internal (int Z, int Y, int X) EvaluationSize(IFloodFillNetwork network)
    {
        var (f, d) = (network.FieldOfView, network.Deltas);
        return (f.Z + (2 * d.Z * FieldOfViewMoves), f.Y + (2 * d.Y * FieldOfViewMoves), f.X + (2 * d.X * FieldOfViewMoves));
    }
}
