using CellVision.Tracking;

namespace CellVision.Hosting;

/// <summary>
/// The GNN cell tracker (cell-tracker-gnn) as a service over Cell Tracking Challenge folders, with the registered
/// <see cref="GnnTrackerOptions"/>. The default implementation is <see cref="GnnTracking"/>.
/// </summary>
public interface IGnnTracking
{
    /// <summary>The settings in use.</summary>
    GnnTrackerOptions Options { get; }

    /// <summary>
    /// Trains on CTC sequences (raw folder <c>DIR/NN</c>, ground truth <c>DIR/NN_GT/TRA</c> standing in for the
    /// segmentation) and saves the best weights. With <see cref="GnnTrackerOptions.Embedding"/> the metric-learning model
    /// (trained first, or the one configured) is saved beside them as <c>NAME-embedding.pth</c>
    /// (<see cref="GnnEmbeddingOptions.BesideWeights"/>), where <see cref="Track"/> finds it.
    /// </summary>
    /// <param name="sequenceFolders">The raw image folders.</param>
    /// <param name="modelPath">Where to save the weights (<c>.pth</c>).</param>
    /// <param name="progress">Receives every epoch.</param>
    /// <param name="cancellationToken">Stops between batches; nothing is saved then.</param>
    /// <returns>The epochs run and the epoch kept.</returns>
    GnnTrainingResult Train(IReadOnlyList<string> sequenceFolders, string modelPath, IProgress<GnnEpoch>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tracks an instance segmentation with saved weights and writes a CTC result folder; weights trained with the
    /// embedding read their model from <see cref="GnnEmbeddingOptions.ModelPath"/> or from beside them.
    /// </summary>
    /// <param name="modelPath">Weights saved by <see cref="Train"/>.</param>
    /// <param name="imagesFolder">The raw frames, <c>tNNN.tif</c>.</param>
    /// <param name="masksFolder">One instance-label TIFF per frame.</param>
    /// <param name="resultFolder">The result folder to write.</param>
    /// <param name="cancellationToken">Stops the work; nothing is written then.</param>
    /// <returns>The tracks.</returns>
    DecodedTracks Track(string modelPath, string imagesFolder, string masksFolder, string resultFolder, CancellationToken cancellationToken = default);
}
