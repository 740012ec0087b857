using CellVision.Core.Volumes;
using CellVision.Networks;
using CellVision.Torch.Optimizers;
using CellVision.Torch;

namespace CellVision.Detection;

/// <summary>
/// ELEPHANT's self-supervised prior for a detection model initialised at random (its "Default" model reset,
/// <c>init_seg_models</c> → <c>run_train_prior_seg</c>): the model learns to make its centre probability and its
/// not-background probability both equal the normalised intensity, so that bright regions start out as nuclei. Three runs
/// of a few random crops with learning rates 1e-2, 1e-3 and 1e-4, a fresh Adam each, batch size 1.
/// </summary>
public static class DetectionPrior
{
    /// <summary>Trains the prior in place.</summary>
    /// <param name="model">A freshly initialised detection U-Net.</param>
    /// <param name="keepAxials">The model's four keep-axial flags (see <see cref="KeepAxials"/>).</param>
    /// <param name="normalisedFrames">Frames normalised to [0, 1] to draw crops from (ELEPHANT draws from every timepoint of the dataset; a lazy list may load them on demand).</param>
    /// <param name="options">Crop size, crops per run, learning rates, scale augmentation; null for ELEPHANT's values.</param>
    /// <param name="progress">Receives every step's loss; the epoch is the run.</param>
    /// <param name="cancellationToken">Stops between steps; the weights keep the steps done so far.</param>
    /// <returns>The mean loss of each run (none when <see cref="PriorTrainingOptions.Crops"/> is 0).</returns>
    public static IReadOnlyList<double> Train(DetectionUNet model, ReadOnlySpan<bool> keepAxials, IReadOnlyList<Volume<float>> normalisedFrames, PriorTrainingOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(normalisedFrames);
        options ??= new PriorTrainingOptions();
        if (keepAxials.Length != 4)
        {
            throw new ArgumentException($"keepAxials needs one flag per level (4); got {keepAxials.Length}.", nameof(keepAxials));
        }

        if (options.Crops < 0 || options.LearningRates is null || options.LearningRates.Any(lr => !(lr > 0)) || !(options.ScaleAugmentation >= 0 && options.ScaleAugmentation < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Crops must not be negative, learning rates must be positive and the scale augmentation must lie in [0, 1).");
        }

        if (options.Crops == 0)
        {
            return [];
        }

        if (normalisedFrames.Count == 0)
        {
            throw new ArgumentException("Prior training needs at least one frame.", nameof(normalisedFrames));
        }

        var flags = keepAxials.ToArray();
        var random = options.Seed is int seed ? new Random(seed) : new Random();
        var means = new List<double>();
        var wasTraining = model.IsTraining;
        model.Train();
        try
        {
            for (var run = 0; run < options.LearningRates.Count; run++)
            {
                using var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = options.LearningRates[run] });
                double sum = 0;
                for (var step = 0; step < options.Crops; step++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var frame = normalisedFrames[random.Next(normalisedFrames.Count)];
                    var sampler = CropSampler.Unlabelled(frame, options.CropSize, options.ScaleAugmentation);
                    var (d, h, w) = sampler.Crop;
                    var input = new float[d * h * w];
                    sampler.Draw(random, input, default);
                    double value;
                    using (DisposeScope.Enter())
                    using (options.OneDnnConvolutions ? Conv3dKernels.ForceOneDnn() : null)
                    {
                        var tensor = Tensor.FromSpan<float>(input, [1, 1, d, h, w]);
                        var loss = Loss(model.Forward(tensor, flags), tensor);
                        optimizer.ZeroGrad();
                        loss.Backward();
                        optimizer.Step();
                        value = loss.ToScalar();
                    }

                    sum += value;
                    progress?.Report(new TrainingProgress(run, step, options.Crops, value));
                }

                means.Add(sum / options.Crops);
            }
        }
        finally
        {
            model.Train(wasTraining);
        }

        return means;
    }

    /// <summary>
    /// ELEPHANT's <c>AutoencoderLoss</c>: mean |p_centre − x| + mean |(1 − p_background) − x| over all voxels, with p the
    /// class probabilities and x the input. Temporaries belong to the caller's <see cref="DisposeScope"/>.
    /// </summary>
    /// <param name="logProbabilities">Model output, (N, 3, D, H, W) log-probabilities.</param>
    /// <param name="input">The normalised input, (N, 1, D, H, W).</param>
    public static Tensor Loss(Tensor logProbabilities, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(logProbabilities);
        ArgumentNullException.ThrowIfNull(input);
        var probabilities = logProbabilities.Exp();
        var x = input.Select(1, 0);
        return (probabilities.Select(1, 2) - x).Abs().Mean() + ((1.0 - probabilities.Select(1, 0)) - x).Abs().Mean();
    }
}
