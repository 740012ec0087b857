namespace CellVision.Torch.Modules;

/// <summary>Instance normalisation over (N, C, D, H, W), as <c>nn.InstanceNorm3d</c> (by default no affine and no running statistics).</summary>
public sealed class InstanceNorm3d : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="features">Number of channels.</param>
    /// <param name="epsilon">Added to the variance (default 1e-5).</param>
    /// <param name="momentum">Weight of each sample in the running statistics (default 0.1).</param>
    /// <param name="affine">Learn a per-channel scale and shift (default false).</param>
    /// <param name="trackRunningStatistics">Keep running statistics for evaluation (default false).</param>
    public InstanceNorm3d(long features, double epsilon = 1e-5, double momentum = 0.1, bool affine = false, bool trackRunningStatistics = false)
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

    /// <summary>Weight of each sample in the running statistics.</summary>
    public double Momentum { get; }

    /// <summary>Per-channel scale, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>Per-channel shift, or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Running mean, or null.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>Running variance, or null.</summary>
    public Tensor? RunningVariance { get; }

    /// <summary>Number of training batches seen, or null.</summary>
    public Tensor? BatchesTracked { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (IsTraining && BatchesTracked is not null)
        {
            BatchesTracked.AddInPlace(1);
        }

        return Functional.InstanceNorm(input, RunningMean, RunningVariance, Weight, Bias, IsTraining || RunningMean is null, Momentum, Epsilon);
    }
}
