using CellVision.Core.Volumes;
using CellVision.Networks;
using CellVision.Torch;

namespace CellVision.Detection;

/// <summary>
/// ELEPHANT's "use 2D model" (<c>use_2d</c>): a 2-D detection U-Net (<see cref="DetectionUNet2D"/>, or an ensemble whose
/// probabilities are averaged) predicts each Z slice of a 3-D frame on its own, patch by patch in Y and X with the
/// blending of <see cref="DetectionPredictor"/>, and the slices are stacked into the frame's probabilities. The frame is
/// normalised (and rescaled, <see cref="PredictionOptions.ResizeFactor"/>) as a whole first; nuclei are extracted in 3-D
/// with <see cref="SpotExtractionOptions.SliceWiseCentres"/>.
/// </summary>
public sealed class SliceWiseDetectionPredictor
{
    private readonly DetectionUNet2D[] models;

    /// <summary>Creates a predictor for one 2-D model or an ensemble of them.</summary>
    /// <param name="models">The 2-D U-Nets, e.g. from <see cref="DetectionUNet2D.LoadEnsemble"/>; each is switched to evaluation mode while predicting.</param>
    /// <exception cref="ArgumentException"><paramref name="models"/> is empty or holds null.</exception>
    public SliceWiseDetectionPredictor(IReadOnlyList<DetectionUNet2D> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0 || models.Any(m => m is null))
        {
            throw new ArgumentException("An ensemble needs at least one model and no null entries.", nameof(models));
        }

        this.models = [.. models];
    }

    /// <summary>The number of models whose probabilities are averaged.</summary>
    public int EnsembleSize => models.Length;

    /// <summary>Normalises a raw frame as ELEPHANT does and predicts its class probabilities slice by slice.</summary>
    /// <param name="frame">Raw intensities, (D, H, W).</param>
    /// <param name="options">Patch size (its depth is ignored), blending, normalisation and rescaling; null for ELEPHANT's defaults.</param>
    /// <param name="progress">Receives the number of slices done.</param>
    /// <param name="cancellationToken">Stops between batches of patches.</param>
    public DetectionProbabilities Predict(Volume<float> frame, PredictionOptions? options = null, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        options ??= new PredictionOptions();
        return FramePipeline.Predict(frame, options, normalised => PredictNormalised(normalised, options, progress, cancellationToken));
    }

    /// <summary>Predicts a raw frame slice by slice and returns its nuclei, found in 3-D with <see cref="SpotExtractionOptions.SliceWiseCentres"/> set.</summary>
    /// <param name="frame">Raw intensities, (D, H, W), with the frame's voxel size.</param>
    /// <param name="options">Patch size (its depth is ignored), blending, normalisation and rescaling; null for ELEPHANT's defaults.</param>
    /// <param name="spotOptions">Threshold, centre ratio and radius limits; null for ELEPHANT's client defaults.</param>
    /// <param name="progress">Receives the number of slices done.</param>
    /// <param name="probabilitiesReady">Receives the frame's class probabilities (at the frame's size) before nuclei are extracted.</param>
    /// <param name="cancellationToken">Stops between batches of patches.</param>
    /// <returns>The nuclei, centres and covariances in µm.</returns>
    public IReadOnlyList<DetectedSpot> Detect(Volume<float> frame, PredictionOptions? options = null, SpotExtractionOptions? spotOptions = null, IProgress<PredictionProgress>? progress = null, Action<DetectionProbabilities>? probabilitiesReady = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        options ??= new PredictionOptions();
        var sliceWise = (spotOptions ?? new SpotExtractionOptions()) with { SliceWiseCentres = true };
        return FramePipeline.Detect(frame, options, sliceWise, probabilitiesReady, normalised => PredictNormalised(normalised, options, progress, cancellationToken));
    }

    /// <summary>Predicts the class probabilities of a frame already normalised to [0, 1], one Z slice at a time.</summary>
    /// <param name="normalised">Normalised intensities, (D, H, W).</param>
    /// <param name="options">Patch size (its depth is ignored) and blending; null for ELEPHANT's defaults.</param>
    /// <param name="progress">Receives the number of slices done.</param>
    /// <param name="cancellationToken">Stops between batches of patches.</param>
    public DetectionProbabilities PredictNormalised(Volume<float> normalised, PredictionOptions? options = null, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        options ??= new PredictionOptions();
        if (options.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "The batch size must be at least 1.");
        }

        var (depth, height, width) = (normalised.Depth, normalised.Height, normalised.Width);
        var classes = new Volume<float>[3];
        var wasTraining = models.Select(m => m.IsTraining).ToArray();
        try
        {
            for (var c = 0; c < 3; c++)
            {
                classes[c] = new Volume<float>(depth, height, width, normalised.VoxelSize, normalised.Origin);
            }

            foreach (var model in models)
            {
                model.Eval();
            }

            var sliceLength = height * width;
            for (var z = 0; z < depth; z++)
            {
                using var slice = normalised.Crop(Box.FromZyx(z, 0, 0, 1, height, width));
                var (sums, weightSum) = PatchBlending.Predict(
                    [slice], (1, options.PatchSize.Height, options.PatchSize.Width), options.BatchSize, options.NormaliseBlendWeights, 3, slice.VoxelSize, null,
                    batch => AveragedProbabilities(batch, options.MitigateEdgeDiscontinuities), oneDnnConvolutions: false, null, cancellationToken);
                for (var c = 0; c < 3; c++)
                {
                    var source = sums[c].Span;
                    var target = classes[c].Span.Slice(z * sliceLength, sliceLength);
                    for (var i = 0; i < sliceLength; i++)
                    {
                        target[i] = weightSum is null ? source[i] : source[i] / weightSum[i];
                    }

                    sums[c].Dispose();
                }

                progress?.Report(new PredictionProgress(z + 1, depth));
            }

            return new DetectionProbabilities(classes[0], classes[1], classes[2]);
        }
        catch
        {
            foreach (var volume in classes)
            {
                volume?.Dispose();
            }

            throw;
        }
        finally
        {
            for (var m = 0; m < models.Length; m++)
            {
                models[m].Train(wasTraining[m]);
            }
        }
    }

    /// <summary>A (N, 1, 1, h, w) batch of slices through the 2-D models: mean probabilities, (N, 3, 1, h, w).</summary>
    private Tensor AveragedProbabilities(Tensor batch, bool pad)
    {
        var slices = batch.Squeeze(2);
        Tensor? sum = null;
        foreach (var model in models)
        {
            var probabilities = model.Forward(slices, pad).Exp();
            sum = sum is null ? probabilities : sum + probabilities;
        }

        var mean = models.Length == 1 ? sum! : sum! / models.Length;
        return mean.Unsqueeze(2).Contiguous();
    }
}
