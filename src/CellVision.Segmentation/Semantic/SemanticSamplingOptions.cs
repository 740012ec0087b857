namespace CellVision.Segmentation;

/// <summary>How training blocks are drawn (incasem's <c>RandomLocationBounded</c> and <c>Reject</c>, spec B.4), with its values.</summary>
public sealed record SemanticSamplingOptions
{
    /// <summary>A block whose output has at least this fraction of foreground is kept (default 0.05).</summary>
    public double MinimumForeground { get; init; } = 0.05;

    /// <summary>A block with less foreground is rejected with this probability (default 0.9).</summary>
    public double ForegroundRejectProbability { get; init; } = 0.9;

    /// <summary>A block whose output has less than this fraction inside the sample mask … (default 0.75).</summary>
    public double MinimumMasked { get; init; } = 0.75;

    /// <summary>… is rejected with this probability (default 0.95).</summary>
    public double MaskRejectProbability { get; init; } = 0.95;

    /// <summary>Draws allowed per block before training gives up with an error (default 100,000).</summary>
    public int MaximumAttempts { get; init; } = 100_000;

    /// <summary>Checks every value and returns this instance.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public SemanticSamplingOptions Validate()
    {
        foreach (var (value, name) in new[] { (MinimumForeground, nameof(MinimumForeground)), (ForegroundRejectProbability, nameof(ForegroundRejectProbability)), (MinimumMasked, nameof(MinimumMasked)), (MaskRejectProbability, nameof(MaskRejectProbability)) })
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                throw new ArgumentOutOfRangeException(name, value, "Fractions and probabilities must lie in [0, 1].");
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaximumAttempts, 1);
        return this;
    }
}
