using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Tracking;

namespace CellVision.Server.Jobs;

/// <summary>
/// <c>/flow/predict</c>'s work: the flow of frame t back to frame t − 1 (over the crop box when one is sent) from the
/// model file as last saved, and for each query spot its estimated position at t − 1 and squared displacement
/// (<see cref="FlowPredictor"/>).
/// </summary>
internal sealed class FlowPredictionJob(ModelFiles models)
{
    /// <summary>Estimates the earlier positions.</summary>
    /// <param name="datasetFolder">The dataset folder.</param>
    /// <param name="modelPath">The model file.</param>
    /// <param name="voxelSize">The request's scales.</param>
    /// <param name="timepoint">The later frame t (at least 1).</param>
    /// <param name="spots">The query spots of frame t.</param>
    /// <param name="settings">Keep-Z levels and norm factor.</param>
    /// <param name="options">Patches and region.</param>
    /// <param name="cancellationToken">The abort token.</param>
    public IReadOnlyList<MotionEstimate> Run(string datasetFolder, string modelPath, VoxelSize voxelSize, int timepoint, IReadOnlyList<Spot> spots, FlowSettings settings, FlowPredictionOptions options, CancellationToken cancellationToken)
    {
        var images = DatasetFrames.Open(datasetFolder, "imgs.zarr");
        using var previousRaw = DatasetFrames.Read(images, timepoint - 1, voxelSize, cancellationToken);
        using var currentRaw = DatasetFrames.Read(images, timepoint, voxelSize, cancellationToken);
        using var previous = Normalization.MinMaxToUnit(previousRaw);
        using var current = Normalization.MinMaxToUnit(currentRaw);
        using var model = models.LoadOrCreateFlow(modelPath);
        var predictor = new FlowPredictor(model, settings.KeepAxialFlags, options: options with { NormFactor = settings.NormFactor });
        return predictor.EstimatePrevious(previous, current, spots, cancellationToken: cancellationToken);
    }
}
