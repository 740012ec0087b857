using CellVision.Core.Geometry;
using CellVision.Detection;

namespace CellVision.Server.Jobs;

/// <summary>What a <c>/seg/predict</c> request asks for, checked and converted.</summary>
/// <param name="DatasetFolder">The dataset folder.</param>
/// <param name="ModelPath">The model file.</param>
/// <param name="VoxelSize">The request's scales.</param>
/// <param name="Timepoint">The frame.</param>
/// <param name="InputSize">The request's <c>input_size</c> [x, y, z], or null.</param>
/// <param name="CropBox">The request's <c>crop_box</c> [ox, oy, oz, sx, sy, sz] in voxels, or null for the whole frame.</param>
/// <param name="Options">Patches, normalisation and spot extraction.</param>
/// <param name="OutputPrediction">Also write the class probabilities into <c>seg_outputs.zarr</c>.</param>
/// <param name="SliceWise">The request's <c>use_2d</c>: a 2-D model predicts each Z slice.</param>
internal sealed record DetectionPredictionRequest(
    string DatasetFolder,
    string ModelPath,
    VoxelSize VoxelSize,
    int Timepoint,
    int[]? InputSize,
    int[]? CropBox,
    NucleusDetectorOptions Options,
    bool OutputPrediction = false,
    bool SliceWise = false);
