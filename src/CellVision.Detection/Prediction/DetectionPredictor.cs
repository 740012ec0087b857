using CellVision.Core.Volumes;
using CellVision.Networks;
using CellVision.Torch;

namespace CellVision.Detection;

/// <summary>
/// Predicts ELEPHANT's detection classes over whole frames patch by patch with linear blending, and finds the nuclei.
/// With several models (an ensemble, as ELEPHANT loads from a <c>.pth</c> holding a list of state dicts) each patch's
/// class probabilities are the mean of the models' probabilities.
/// </summary>
public sealed class DetectionPredictor
{
    // The dimensions flipped for each of a (N, C, Z, Y, X) batch's eight mirror images, the identity first.
    private static readonly long[][] MirrorImages = [[], [2], [3], [4], [2, 3], [2, 4], [3, 4], [2, 3, 4]];

    private readonly DetectionUNet[] models;
    private readonly bool[] keepAxials;

    /// <summary>Creates a predictor for a trained model.</summary>
    /// <param name="model">The detection U-Net; it is switched to evaluation mode while predicting.</param>
    /// <param name="keepAxials">The model's four keep-axial flags (see <see cref="KeepAxials"/>).</param>
    public DetectionPredictor(DetectionUNet model, ReadOnlySpan<bool> keepAxials)
        : this([model ?? throw new ArgumentNullException(nameof(model))], keepAxials)
    {
    }

    /// <summary>Creates a predictor that averages the probabilities of an ensemble of trained models.</summary>
    /// <param name="models">
    /// One or more detection U-Nets sharing <paramref name="keepAxials"/>, e.g. one per state dict of
    /// <see cref="CellVision.Torch.Serialization.PthFile.LoadStateDictList"/>; each is switched to evaluation mode while
    /// predicting.
    /// </param>
    /// <param name="keepAxials">The models' four keep-axial flags (see <see cref="KeepAxials"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="models"/> is empty or holds null.</exception>
    public DetectionPredictor(IReadOnlyList<DetectionUNet> models, ReadOnlySpan<bool> keepAxials)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0 || models.Any(m => m is null))
        {
            throw new ArgumentException("An ensemble needs at least one model and no null entries.", nameof(models));
        }

        UNetSkeleton.RequireFourLevels(keepAxials);
        this.models = [.. models];
        this.keepAxials = keepAxials.ToArray();
    }

    /// <summary>The number of models whose probabilities are averaged (1 for a single model).</summary>
    public int EnsembleSize => models.Length;

    /// <summary>
    /// Normalises a raw frame as ELEPHANT does (optional slice-wise median correction, then min–max to [0, 1]) and
    /// predicts its class probabilities (with <see cref="PredictionOptions.ResizeFactor"/> on the resampled frame, then
    /// resampled back to the frame's size).
    /// </summary>
    /// <param name="frame">Raw intensities, (D, H, W).</param>
    /// <param name="options">Patch layout and blending; null for ELEPHANT's defaults.</param>
    /// <param name="progress">Receives the number of patches done.</param>
    /// <param name="cancellationToken">Stops between batches of patches.</param>
    public DetectionProbabilities Predict(Volume<float> frame, PredictionOptions? options = null, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        options ??= new PredictionOptions();
        return FramePipeline.Predict(frame, options, normalised => PredictNormalised(normalised, options, progress, cancellationToken));
    }

    /// <summary>
    /// Predicts a raw frame and returns its nuclei (ELEPHANT's detection of one timepoint); with
    /// <see cref="PredictionOptions.ResizeFactor"/> the nuclei are found on the resampled frame, as ELEPHANT finds them.
    /// </summary>
    /// <param name="frame">Raw intensities, (D, H, W), with the frame's voxel size.</param>
    /// <param name="options">Patch layout and blending; null for ELEPHANT's defaults.</param>
    /// <param name="spotOptions">Threshold, centre ratio and radius limits; null for ELEPHANT's client defaults.</param>
    /// <param name="progress">Receives the number of patches done.</param>
    /// <param name="probabilitiesReady">
    /// Receives the frame's class probabilities (at the frame's size) before nuclei are extracted, e.g. to keep them with
    /// <c>ProbabilityZarr.Write</c> in CellVision.IO (ELEPHANT's "output prediction"); they are disposed when it returns.
    /// </param>
    /// <param name="cancellationToken">Stops between batches of patches.</param>
    public IReadOnlyList<DetectedSpot> Detect(Volume<float> frame, PredictionOptions? options = null, SpotExtractionOptions? spotOptions = null, IProgress<PredictionProgress>? progress = null, Action<DetectionProbabilities>? probabilitiesReady = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        options ??= new PredictionOptions();
        return FramePipeline.Detect(frame, options, spotOptions, probabilitiesReady, normalised => PredictNormalised(normalised, options, progress, cancellationToken));
    }

    /// <summary>Predicts the class probabilities of a frame already normalised to [0, 1].</summary>
    /// <param name="normalised">Normalised intensities, (D, H, W).</param>
    /// <param name="options">Patch layout and blending; null for ELEPHANT's defaults.</param>
    /// <param name="progress">Receives the number of patches done.</param>
    /// <param name="cancellationToken">Stops between batches of patches.</param>
    public DetectionProbabilities PredictNormalised(Volume<float> normalised, PredictionOptions? options = null, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        options ??= new PredictionOptions();
        if (options.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "The batch size must be at least 1.");
        }

        var wasTraining = models.Select(m => m.IsTraining).ToArray();
        (Volume<float>[] Sums, float[]? WeightSum) blended;
        try
        {
            foreach (var model in models)
            {
                model.Eval();
            }

            blended = PatchBlending.Predict(
                [normalised], options.PatchSize, options.BatchSize, options.NormaliseBlendWeights, 3, normalised.VoxelSize, null,
                batch => AveragedProbabilities(batch, options), options.OneDnnConvolutions, progress, cancellationToken);
        }
        finally
        {
            for (var m = 0; m < models.Length; m++)
            {
                models[m].Train(wasTraining[m]);
            }
        }

        var (sums, weightSum) = blended;
        if (weightSum is not null)
        {
            foreach (var sum in sums)
            {
                var span = sum.Span;
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] /= weightSum[i];
                }
            }
        }

        return new DetectionProbabilities(sums[0], sums[1], sums[2]);
    }

    /// <summary>
    /// exp of the model's log-probabilities, or their mean over the ensemble and, with
    /// <see cref="PredictionOptions.AverageOverFlips"/>, over the batch's eight mirror images (each flipped back).
    /// </summary>
    private Tensor AveragedProbabilities(Tensor batch, PredictionOptions options)
    {
        long[][] flips = options.AverageOverFlips ? MirrorImages : [[]];
        Tensor? sum = null;
        foreach (var dimensions in flips)
        {
            var input = dimensions.Length == 0 ? batch : batch.Flip(dimensions);
            foreach (var model in models)
            {
                var probabilities = model.Forward(input, keepAxials, options.MitigateEdgeDiscontinuities).Exp();
                if (dimensions.Length > 0)
                {
                    probabilities = probabilities.Flip(dimensions);
                }

                sum = sum is null ? probabilities : sum + probabilities;
            }
        }

        var count = flips.Length * models.Length;
        return count == 1 ? sum! : sum! / count;
    }
}
