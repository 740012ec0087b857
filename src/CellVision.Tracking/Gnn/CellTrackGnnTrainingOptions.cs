namespace CellVision.Tracking;

/// <summary>The GNN tracker's optimiser settings, with the reference's values (<c>celltrack_model_*.yaml</c>).</summary>
public sealed record CellTrackGnnTrainingOptions
{
    /// <summary>Adam's learning rate (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Adam's L2 weight decay, added to the gradient (default 1e-5).</summary>
    public double WeightDecay { get; init; } = 1e-5;

    /// <summary>Graphs per training batch, joined with <see cref="CellTrackGnnGraph.Collate"/> (default 8).</summary>
    public int BatchSize { get; init; } = 8;
}
