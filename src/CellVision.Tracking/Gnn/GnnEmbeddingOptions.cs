namespace CellVision.Tracking;

/// <summary>
/// How the metric-learning embedding that feeds the GNN tracker is obtained when cells are measured from images (the
/// entry points that read Cell Tracking Challenge folders): trained on the ground truth first, as the reference's
/// pipeline does, or loaded from an <c>all_params.pth</c>.
/// </summary>
public sealed record GnnEmbeddingOptions
{
    /// <summary>The suffix of the embedding model saved beside the GNN weights: <c>NAME.pth</c> → <c>NAME-embedding.pth</c>.</summary>
    public const string FileSuffix = "-embedding";

    /// <summary>An <c>all_params.pth</c> to use instead of training one (null: train it, or find it beside the weights when loading).</summary>
    public string? ModelPath { get; init; }

    /// <summary>The metric-learning training (reference defaults: 1000 epochs, batch 32, m = 4, Adam 1e-5 / 1e-4).</summary>
    public CellEmbeddingTrainingOptions Training { get; init; } = new();

    /// <summary>Patches per forward pass when embedding cells (memory only).</summary>
    public int BatchSize { get; init; } = CellEmbeddingModel.DefaultBatchSize;

    /// <summary>Where the embedding model of a GNN weights file is kept: <c>DIR/NAME.pth</c> → <c>DIR/NAME-embedding.pth</c>.</summary>
    /// <param name="weightsPath">The GNN weights file.</param>
    /// <returns>The path beside it.</returns>
    public static string BesideWeights(string weightsPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(weightsPath);
        var full = Path.GetFullPath(weightsPath);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + FileSuffix + Path.GetExtension(full));
    }

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Training);
        Training.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
    }
}
