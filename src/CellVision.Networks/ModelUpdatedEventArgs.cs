namespace CellVision.Networks;

/// <summary>Raised after each training epoch, when the model's weights have changed.</summary>
/// <param name="epoch">Epochs completed so far by this trainer.</param>
/// <param name="meanLoss">Mean loss over the epoch's steps (NaN when no crop had a label).</param>
public sealed class ModelUpdatedEventArgs(int epoch, double meanLoss) : EventArgs
{
    /// <summary>Epochs completed so far by this trainer.</summary>
    public int Epoch { get; } = epoch;

    /// <summary>Mean loss over the epoch's steps (NaN when no crop had a label).</summary>
    public double MeanLoss { get; } = meanLoss;
}
