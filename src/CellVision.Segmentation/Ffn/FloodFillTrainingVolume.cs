using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>One training volume of a flood-filling network: raw intensities and the object labels of the same shape (0 = background).</summary>
/// <param name="Image">Raw intensities (e.g. 8-bit EM grey values as floats); normalised with the training options' mean and deviation.</param>
/// <param name="Labels">Object ids, 0 for background.</param>
public sealed record FloodFillTrainingVolume(Volume<float> Image, Volume<uint> Labels);
