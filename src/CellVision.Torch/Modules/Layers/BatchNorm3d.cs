namespace CellVision.Torch.Modules;

/// <summary>
/// Batch normalisation over (N, C, D, H, W), as <c>nn.BatchNorm3d</c>, with buffers <c>running_mean</c>, <c>running_var</c> and
/// <c>num_batches_tracked</c>.
/// </summary>
public sealed class BatchNorm3d : BatchNorm
{
    /// <summary>Creates the layer.</summary>
    /// <param name="features">Number of channels.</param>
    /// <param name="epsilon">Added to the variance (default 1e-5).</param>
    /// <param name="momentum">Weight of each batch in the running statistics (default 0.1); null for a cumulative average.</param>
    /// <param name="affine">Learn a per-channel scale and shift (default true).</param>
    /// <param name="trackRunningStatistics">Keep running statistics for evaluation (default true).</param>
    public BatchNorm3d(long features, double epsilon = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStatistics = true)
        : base(5, "(N, C, D, H, W)", features, epsilon, momentum, affine, trackRunningStatistics)
    {
    }
}
