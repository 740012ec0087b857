namespace CellVision.Torch.Modules;

/// <summary>
/// Batch normalisation over the channels of (N, C, …), as PyTorch's <c>_BatchNorm</c>, with buffers
/// <c>running_mean</c>, <c>running_var</c> and <c>num_batches_tracked</c>; <see cref="BatchNorm2d"/> and
/// <see cref="BatchNorm3d"/> fix the input rank.
/// </summary>
public abstract class BatchNorm : Module<Tensor, Tensor>
{
    private readonly int rank;
    private readonly string layout;

    /// <summary>Creates the layer.</summary>
    /// <param name="rank">The input rank the layer takes (4 or 5).</param>
    /// <param name="layout">The input layout for messages, e.g. "(N, C, H, W)".</param>
    /// <param name="features">Number of channels.</param>
    /// <param name="epsilon">Added to the variance (default 1e-5).</param>
    /// <param name="momentum">Weight of each batch in the running statistics (default 0.1); null for a cumulative average.</param>
    /// <param name="affine">Learn a per-channel scale and shift (default true).</param>
    /// <param name="trackRunningStatistics">Keep running statistics for evaluation (default true).</param>
    private protected BatchNorm(int rank, string layout, long features, double epsilon, double? momentum, bool affine, bool trackRunningStatistics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        this.rank = rank;
        this.layout = layout;
        Epsilon = epsilon;
        Momentum = momentum;
        Weight = RegisterParameter("weight", affine ? Tensor.Ones([features]) : null);
        Bias = RegisterParameter("bias", affine ? Tensor.Zeros([features]) : null);
        RunningMean = RegisterBuffer("running_mean", trackRunningStatistics ? Tensor.Zeros([features]) : null);
        RunningVariance = RegisterBuffer("running_var", trackRunningStatistics ? Tensor.Ones([features]) : null);
        BatchesTracked = RegisterBuffer("num_batches_tracked", trackRunningStatistics ? Tensor.Scalar(0, ScalarType.Int64) : null);
    }

    /// <summary>Added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>Weight of each batch in the running statistics; null for a cumulative average.</summary>
    public double? Momentum { get; }

    /// <summary>Per-channel scale, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>Per-channel shift, or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Running mean per channel, or null.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>Running (unbiased) variance per channel, or null.</summary>
    public Tensor? RunningVariance { get; }

    /// <summary>Number of training batches seen (int64 scalar), or null.</summary>
    public Tensor? BatchesTracked { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != rank)
        {
            throw new ArgumentException($"{GetType().Name} expects a {rank}D input {layout}, got rank {input.Rank}.", nameof(input));
        }

        var factor = Momentum ?? 0.0;
        if (IsTraining && BatchesTracked is not null)
        {
            BatchesTracked.AddInPlace(1);
            if (Momentum is null)
            {
                factor = 1.0 / BatchesTracked.ToScalar();
            }
        }

        var useBatchStatistics = IsTraining || RunningMean is null;
        return Functional.BatchNorm(input, RunningMean, RunningVariance, Weight, Bias, useBatchStatistics, factor, Epsilon);
    }
}
