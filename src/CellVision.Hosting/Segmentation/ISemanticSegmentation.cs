using CellVision.Core.Volumes;
using CellVision.Segmentation;
using CellVision.Torch;

namespace CellVision.Hosting;

/// <summary>
/// incasem's semantic segmentation as a service: block-wise prediction with the registered
/// <see cref="SemanticPredictionOptions"/> (options section <c>SemanticPrediction</c>) and training with the registered
/// <see cref="SemanticTrainingOptions"/> (section <c>SemanticTraining</c>). The default implementation is
/// <see cref="SemanticSegmentation"/>.
/// </summary>
public interface ISemanticSegmentation
{
    /// <summary>The prediction settings in use.</summary>
    SemanticPredictionOptions PredictionOptions { get; }

    /// <summary>The training settings in use.</summary>
    SemanticTrainingOptions TrainingOptions { get; }

    /// <summary>Predicts class probabilities and the segmentation block by block with saved weights.</summary>
    /// <param name="raw">The raw image (uint8 or uint16).</param>
    /// <param name="modelPath">The weights (<c>.pth</c>: a state dict or an incasem checkpoint).</param>
    /// <param name="targets">Where the probabilities and the segmentation go.</param>
    /// <param name="downsampleFactors">The network's pooling factors, top first; null for incasem's 2×2×2.</param>
    /// <param name="region">The region of interest; null for the whole volume.</param>
    /// <param name="mask">Nonzero inside the sample; null for everywhere.</param>
    /// <param name="finishedBlocks">Blocks an interrupted run already wrote.</param>
    /// <param name="progress">Receives a report after each block is written.</param>
    /// <param name="cancellationToken">Stops between blocks.</param>
    /// <returns>The block layout.</returns>
    SemanticBlockGrid Predict(IChunkedVolume raw, string modelPath, SemanticPredictionTargets targets, IReadOnlyList<Size3>? downsampleFactors = null, Box? region = null, IChunkedVolume? mask = null, IReadOnlySet<int>? finishedBlocks = null, IProgress<SemanticPredictionProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Trains a network, resuming from its checkpoint when one exists.</summary>
    /// <param name="network">The network.</param>
    /// <param name="training">The training data sets.</param>
    /// <param name="checkpoint">Where the weights and step count are saved, or null.</param>
    /// <param name="validation">Data sets scored during training, or null.</param>
    /// <param name="progress">Receives every step.</param>
    /// <param name="cancellationToken">Stops between steps, after a checkpoint.</param>
    /// <returns>The last step taken.</returns>
    long Train(SemanticUNet network, IReadOnlyList<SemanticTrainingVolume> training, string? checkpoint = null, IReadOnlyList<SemanticTrainingVolume>? validation = null, IProgress<SemanticTrainingProgress>? progress = null, CancellationToken cancellationToken = default);
}
