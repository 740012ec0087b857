using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>Where <see cref="SemanticPredictor"/> writes: arrays of the raw volume's shape, each optional.</summary>
/// <param name="Probabilities">One float32 array per class (incasem's <c>prob_maps/class_{c}</c>), or null.</param>
/// <param name="Segmentation">A uint32 array for the most probable class times the mask (incasem's <c>segmentation</c>), or null.</param>
public sealed record SemanticPredictionTargets(IReadOnlyList<IChunkedVolume>? Probabilities, IChunkedVolume? Segmentation);
