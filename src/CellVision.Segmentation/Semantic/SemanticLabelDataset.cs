namespace CellVision.Segmentation;

/// <summary>One entry of a data configuration's <c>labels</c>: an array whose nonzero voxels are one class.</summary>
/// <param name="Path">The array's path inside the container, e.g. <c>volumes/labels/mito</c>.</param>
/// <param name="ClassId">The class its nonzero voxels get (1 … K).</param>
public readonly record struct SemanticLabelDataset(string Path, int ClassId);
