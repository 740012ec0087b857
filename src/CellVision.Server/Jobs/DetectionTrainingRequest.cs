using CellVision.Core.Geometry;
using CellVision.Detection;

namespace CellVision.Server.Jobs;

/// <summary>What a <c>/seg/train</c> request asks for, checked and converted.</summary>
/// <param name="DatasetFolder">The dataset folder.</param>
/// <param name="ModelPath">The model file.</param>
/// <param name="VoxelSize">The request's scales.</param>
/// <param name="Spots">Batch mode: the tagged spots by timepoint (their labels are written first).</param>
/// <param name="Live">Live mode: one epoch per live label update until aborted.</param>
/// <param name="KeepAxialLevels">The request's <c>n_keep_axials</c>.</param>
/// <param name="Training">Crops, epochs, learning rate, augmentation and loss weights.</param>
/// <param name="Labels">Centre ratio and auto-background threshold of the labels.</param>
/// <param name="InputSize">The request's <c>input_size</c> [x, y, z], or null: frames and labels are resampled to it.</param>
internal sealed record DetectionTrainingRequest(
    string DatasetFolder,
    string ModelPath,
    VoxelSize VoxelSize,
    SortedDictionary<int, List<AnnotatedSpot>> Spots,
    bool Live,
    int KeepAxialLevels,
    DetectionTrainingOptions Training,
    LabelOptions Labels,
    int[]? InputSize = null);
