namespace CellVision.Segmentation;

/// <summary>
/// Parameters of flood-filling inference, with the values of the reference FIB-25 run (google/ffn
/// <c>configs/inference_training_sample2.pbtxt</c>, spec A.3.1). Probabilities are given as probabilities; the canvas
/// turns them into float32 logits once, as the reference stores them back into float32 proto fields (A.3.3).
/// </summary>
public sealed record FloodFillInferenceOptions
{
    /// <summary>Subtracted from the raw image before scaling (reference <c>image_mean</c>: 128).</summary>
    public double ImageMean { get; init; } = 128;

    /// <summary>The raw image is divided by this after the mean is subtracted (reference <c>image_stddev</c>: 33). Must be positive.</summary>
    public double ImageStandardDeviation { get; init; } = 33;

    /// <summary>Object probability placed at a new seed (reference <c>init_activation</c>: 0.95, logit +2.944).</summary>
    public double InitialActivation { get; init; } = 0.95;

    /// <summary>Object probability fed to the network where the mask was never predicted (reference <c>pad_value</c>: 0.05, logit −2.944).</summary>
    public double PadValue { get; init; } = 0.05;

    /// <summary>
    /// Probability that a face maximum needs before the field of view moves there, and that the seed voxel must keep
    /// (reference <c>move_threshold</c>: 0.9, logit +2.197).
    /// </summary>
    public double MoveThreshold { get; init; } = 0.9;

    /// <summary>
    /// A seed is marked and skipped when a segmented voxel lies within this many voxels along Z, Y and X (an inclusive
    /// box; reference <c>min_boundary_dist</c>: 1, 1, 1).
    /// </summary>
    public (int Z, int Y, int X) MinimumBoundaryDistance { get; init; } = (1, 1, 1);

    /// <summary>Probability at or above which a voxel joins the finished object (reference <c>segment_threshold</c>: 0.6, logit +0.405).</summary>
    public double SegmentThreshold { get; init; } = 0.6;

    /// <summary>Objects with fewer new voxels than this are rejected (reference <c>min_segment_size</c>: 1000).</summary>
    public int MinimumSegmentSize { get; init; } = 1000;

    /// <summary>
    /// The disconnected-seed bias: after a step in which more than this fraction of the field of view reached the move
    /// threshold, voxels already predicted outside the object (logit below 0) may not rise again. The reference's
    /// <c>disco_seed_threshold</c> is 0 (on: one voxel at the move threshold suffices); a negative value turns it off.
    /// </summary>
    public double DisconnectedSeedThreshold { get; init; }

    /// <summary>
    /// Run every float32 CPU 3-D convolution on oneDNN (default; see <see cref="CellVision.Torch.Conv3dKernels"/>).
    /// PyTorch's own choice sends a single field of view of a small network (for example 16 features at 25³) to a
    /// kernel about five times slower; results differ from it by float32 rounding only. False reproduces PyTorch's
    /// choice and its results.
    /// </summary>
    public bool OneDnnConvolutions { get; init; } = true;

    /// <summary>Checks every value and returns this instance.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its documented range.</exception>
    public FloodFillInferenceOptions Validate()
    {
        if (!float.IsFinite((float)ImageMean))
        {
            throw new ArgumentOutOfRangeException(nameof(ImageMean), ImageMean, "The image mean must be a finite number that float32 can hold.");
        }

        if (!(ImageStandardDeviation > 0) || !float.IsFinite((float)ImageStandardDeviation) || (float)ImageStandardDeviation == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ImageStandardDeviation), ImageStandardDeviation, "The image standard deviation must be a positive number that float32 can hold.");
        }

        CheckProbability(InitialActivation, nameof(InitialActivation));
        CheckProbability(PadValue, nameof(PadValue));
        CheckProbability(MoveThreshold, nameof(MoveThreshold));
        CheckProbability(SegmentThreshold, nameof(SegmentThreshold));
        if (MinimumBoundaryDistance.Z < 0 || MinimumBoundaryDistance.Y < 0 || MinimumBoundaryDistance.X < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumBoundaryDistance), MinimumBoundaryDistance, "The minimum boundary distance must not be negative along any axis.");
        }

        if (MinimumSegmentSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumSegmentSize), MinimumSegmentSize, "The minimum segment size must not be negative.");
        }

        if (!double.IsFinite(DisconnectedSeedThreshold))
        {
            throw new ArgumentOutOfRangeException(nameof(DisconnectedSeedThreshold), DisconnectedSeedThreshold, "The disconnected-seed threshold must be a finite number (negative turns the bias off).");
        }

        return this;
    }

    /// <summary>
    /// The float32 logit of a probability option as the reference computes it: the option is a float32 proto field,
    /// its logit <c>log(p / (1 − p))</c> is taken in float64 and stored back as float32.
    /// </summary>
    internal static float Logit32(double probability) => (float)Logit64(probability);

    /// <summary>The float64 logit of the float32 value of a probability option (the movement policy's face threshold).</summary>
    internal static double Logit64(double probability)
    {
        double p = (float)probability;
        return Math.Log(p / (1 - p));
    }

    private static void CheckProbability(double value, string name)
    {
        var single = (float)value;
        if (!(value > 0 && value < 1) || !(single > 0 && single < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is a probability strictly between 0 and 1 (its float32 value too), so that its logit is finite.");
        }
    }
}
