using CellVision.Networks;
using CellVision.Torch.Optimizers;
using CellVision.Torch;

namespace CellVision.Tracking;

/// <summary>
/// Trains ELEPHANT's flow network on frame pairs with flow labels from approved links (<c>run_train_flow</c>): per pair
/// <see cref="FlowTrainingOptions.CropsPerTimepoint"/> random crops around the labelled nuclei with flips, optional scale
/// and rotation augmentation, <see cref="FlowLoss"/>, Adam, full precision. Items are visited in pair order (ELEPHANT's
/// loader does not shuffle; the crops are random).
/// </summary>
public sealed class FlowTrainer : IDisposable
{
    private readonly FlowUNet model;
    private readonly bool[] keepAxials;
    private readonly Adam optimizer;
    private readonly FlowLoss loss;
    private readonly Random random;
    private int epochs;

    /// <summary>Creates a trainer; the model's parameters are optimised in place.</summary>
    /// <param name="model">The flow network (random, or loaded from a file), on the device to train on.</param>
    /// <param name="keepAxials">The model's four keep-axial flags (see <see cref="KeepAxials"/>).</param>
    /// <param name="options">Crops, epochs, learning rate, augmentation, loss weights; null for ELEPHANT's defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public FlowTrainer(FlowUNet model, ReadOnlySpan<bool> keepAxials, FlowTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Options = options ?? new FlowTrainingOptions();
        UNetSkeleton.RequireFourLevels(keepAxials);

        if (Options.CropsPerTimepoint < 1 || Options.BatchSize < 1 || Options.Epochs < 0 || !(Options.LearningRate > 0) ||
            Options.CropSize.Depth < 1 || Options.CropSize.Height < 1 || Options.CropSize.Width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Crop size, crops per timepoint and batch size must be at least 1, epochs non-negative and the learning rate positive.");
        }

        if (!(Options.ScaleAugmentation >= 0 && Options.ScaleAugmentation < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.ScaleAugmentation, "The scale augmentation base must lie in [0, 1).");
        }

        if (Options.RotationAngle < 0 || Options.RotationAngle > 360)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.RotationAngle, "The rotation angle must lie in [0, 360] degrees.");
        }

        this.model = model;
        this.keepAxials = keepAxials.ToArray();
        NormFactor = (Options.NormFactor ?? FlowNormFactor.FromKeepAxials(keepAxials)).Validate();
        loss = new FlowLoss(new FlowLossOptions { DimensionWeights = Options.DimensionWeights, WarpNormFactor = NormFactor });
        optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = Options.LearningRate });
        random = Options.Seed is int seed ? new Random(seed) : new Random();
    }

    /// <summary>Raised after every epoch.</summary>
    public event EventHandler<ModelUpdatedEventArgs>? ModelUpdated;

    /// <summary>The options the trainer was created with.</summary>
    public FlowTrainingOptions Options { get; }

    /// <summary>The norm factor the labels must have been made with; also the warp factor of the SSIM term.</summary>
    public FlowNormFactor NormFactor { get; }

    /// <summary>Adam's learning rate; may be changed between steps.</summary>
    public double LearningRate
    {
        get => optimizer.LearningRate;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            optimizer.LearningRate = value;
        }
    }

    /// <summary>Batch mode: <see cref="FlowTrainingOptions.Epochs"/> epochs over the frame pairs.</summary>
    /// <param name="pairs">Frame pairs with labels; pairs without a labelled voxel are left out.</param>
    /// <param name="progress">Receives every step's loss.</param>
    /// <param name="cancellationToken">Stops between steps; the weights keep the steps done so far.</param>
    /// <returns>The mean loss of each epoch.</returns>
    public IReadOnlyList<double> Train(IReadOnlyList<FlowTrainingPair> pairs, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return TrainingLoop.Epochs(Options.Epochs, () => TrainEpoch(pairs, progress, cancellationToken));
    }

    /// <summary>One epoch: <see cref="FlowTrainingOptions.CropsPerTimepoint"/> crops from each labelled pair, in order.</summary>
    /// <param name="pairs">Frame pairs with labels; pairs without a labelled voxel are left out.</param>
    /// <param name="progress">Receives every step's loss.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <returns>The mean loss of the epoch's steps.</returns>
    /// <exception cref="ArgumentException">No pair has a labelled voxel, shapes differ, or a label has another norm factor.</exception>
    public double TrainEpoch(IReadOnlyList<FlowTrainingPair> pairs, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var samplers = pairs.Select(Sampler).Where(s => s.HasLabels).ToArray();
        if (samplers.Length == 0)
        {
            throw new ArgumentException("No frame pair has a labelled voxel (flow labels come from approved links).", nameof(pairs));
        }

        var items = Enumerable.Range(0, samplers.Length * Options.CropsPerTimepoint).Select(i => samplers[i / Options.CropsPerTimepoint]).ToArray();
        model.Train();
        var mean = TrainingLoop.Epoch(items, Options.BatchSize, epochs, Step, progress, cancellationToken);
        epochs++;
        ModelUpdated?.Invoke(this, new ModelUpdatedEventArgs(epochs, mean));
        return mean;
    }

    /// <summary>Releases the optimiser's state (the model stays with its owner).</summary>
    public void Dispose() => optimizer.Dispose();

    private FlowCropSampler Sampler(FlowTrainingPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var label = pair.Label;
        foreach (var frame in new[] { pair.Current, pair.Next })
        {
            if (frame.Depth != label.Depth || frame.Height != label.Height || frame.Width != label.Width)
            {
                throw new ArgumentException($"Frames ({frame.Depth}×{frame.Height}×{frame.Width}) and label ({label.Depth}×{label.Height}×{label.Width}) of a pair must have one shape.", nameof(pair));
            }
        }

        if (label.NormFactor != NormFactor)
        {
            throw new ArgumentException($"A label was made with norm factor {label.NormFactor}; this trainer's network uses {NormFactor}.", nameof(pair));
        }

        return new FlowCropSampler(pair, Options.CropSize, Options.ScaleAugmentation, Options.RotationAngle);
    }

    private double Step(ReadOnlySpan<FlowCropSampler> batch)
    {
        var crop = batch[0].Crop;
        foreach (var sampler in batch)
        {
            if (sampler.Crop != crop)
            {
                throw new ArgumentException("Pairs of one batch must give crops of one size; use a batch size of 1 for frames of different sizes.");
            }
        }

        var length = crop.Depth * crop.Height * crop.Width;
        var input = new float[batch.Length * 2 * length];
        var labels = new float[batch.Length * 4 * length];
        for (var b = 0; b < batch.Length; b++)
        {
            batch[b].Draw(random, input.AsSpan(b * 2 * length, 2 * length), labels.AsSpan(b * 4 * length, 4 * length));
        }

        using var scope = DisposeScope.Enter();
        using var kernels = Options.OneDnnConvolutions ? Conv3dKernels.ForceOneDnn() : null;
        var device = model.Parameters().First().Device;
        var frames = Tensor.FromSpan<float>(input, [batch.Length, 2, crop.Depth, crop.Height, crop.Width]).To(device);
        var target = Tensor.FromSpan<float>(labels, [batch.Length, 4, crop.Depth, crop.Height, crop.Width]).To(device);
        var loss = this.loss.Compute(model.Forward(frames, keepAxials), target, frames);
        return TrainingLoop.Optimise(optimizer, loss);
    }
}
