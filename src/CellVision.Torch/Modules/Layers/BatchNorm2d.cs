namespace CellVision.Torch.Modules;

/// <summary>
/// Batch normalisation over (N, C, H, W), as <c>nn.BatchNorm2d</c>, with buffers <c>running_mean</c>,
/// <c>running_var</c> and <c>num_batches_tracked</c>.
/// </summary>
public sealed class BatchNorm2d : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="features">Number of channels.</param>
    /// <param name="epsilon">Added to the variance (default 1e-5).</param>
    /// <param name="momentum">Weight of each batch in the running statistics (default 0.1); null for a cumulative average.</param>
    /// <param name="affine">Learn a per-channel scale and shift (default true).</param>
    /// <param name="trackRunningStatistics">Keep running statistics for evaluation (default true).</param>
    public BatchNorm2d(long features, double epsilon = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStatistics = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
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
        if (input.Rank != 4)
        {
            throw new ArgumentException($"BatchNorm2d expects a 4D input (N, C, H, W), got rank {input.Rank}.", nameof(input));
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
