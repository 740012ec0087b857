using CellVision.Networks;
using CellVision.Torch.Optimizers;
using CellVision.Torch;

namespace CellVision.Detection;

/// <summary>
/// Trains ELEPHANT's detection U-Net from annotated timepoints: random crops containing a labelled voxel, optional scale,
/// contrast and rotation augmentation, random flips, <see cref="DetectionLoss"/>, Adam. Batch mode runs
/// <see cref="DetectionTrainingOptions.Epochs"/> epochs over the given timepoints; <see cref="LiveDetectionTrainer"/> runs
/// one epoch per label update.
/// </summary>
public sealed class DetectionTrainer : IDisposable
{
    private readonly DetectionUNet model;
    private readonly bool[] keepAxials;
    private readonly Adam optimizer;
    private readonly DetectionLoss loss;
    private readonly Random random;
    private readonly CropAugmentation augmentation;
    private int epochs;

    /// <summary>Creates a trainer; the model's parameters are optimised in place.</summary>
    /// <param name="model">The detection U-Net (random, self-supervised prior, or loaded from a file).</param>
    /// <param name="keepAxials">The model's four keep-axial flags (see <see cref="KeepAxials"/>).</param>
    /// <param name="options">Crops, epochs, batch size, learning rate, loss weights; null for ELEPHANT's defaults.</param>
    public DetectionTrainer(DetectionUNet model, ReadOnlySpan<bool> keepAxials, DetectionTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Options = options ?? new DetectionTrainingOptions();
        UNetSkeleton.RequireFourLevels(keepAxials);

        if (Options.CropsPerTimepoint < 1 || Options.BatchSize < 1 || Options.Epochs < 0 || !(Options.LearningRate > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Crops per timepoint and batch size must be at least 1, epochs non-negative and the learning rate positive.");
        }

        if (!(Options.ScaleAugmentation >= 0 && Options.ScaleAugmentation < 1) || Options.RotationAugmentation < 0 || !(Options.ContrastAugmentation >= 0 && Options.ContrastAugmentation <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Scale augmentation must lie in [0, 1), rotation augmentation must not be negative and contrast augmentation must lie in [0, 1].");
        }

        this.model = model;
        this.keepAxials = keepAxials.ToArray();
        optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = Options.LearningRate });
        loss = new DetectionLoss(Options.Loss);
        random = Options.Seed is int seed ? new Random(seed) : new Random();
        augmentation = new CropAugmentation(Options.ScaleAugmentation, Options.RotationAugmentation, Options.ContrastAugmentation);
        CropsPerTimepoint = Options.CropsPerTimepoint;
    }

    /// <summary>Raised after every epoch.</summary>
    public event EventHandler<ModelUpdatedEventArgs>? ModelUpdated;

    /// <summary>The options the trainer was created with.</summary>
    public DetectionTrainingOptions Options { get; }

    /// <summary>Adam's learning rate; may be changed between steps, also while live training runs.</summary>
    public double LearningRate
    {
        get => optimizer.LearningRate;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            optimizer.LearningRate = value;
        }
    }

    /// <summary>Crops per timepoint in an epoch; may be changed between epochs, also while live training runs.</summary>
    public int CropsPerTimepoint
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    }

    /// <summary>Batch mode: <see cref="DetectionTrainingOptions.Epochs"/> epochs over the annotated timepoints.</summary>
    /// <param name="frames">Annotated timepoints; frames without a labelled voxel are left out.</param>
    /// <param name="progress">Receives every step's loss.</param>
    /// <param name="cancellationToken">Stops between steps; the weights keep the steps done so far.</param>
    /// <returns>The mean loss of each epoch.</returns>
    public IReadOnlyList<double> Train(IReadOnlyList<TrainingFrame> frames, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frames);
        return TrainingLoop.Epochs(Options.Epochs, () => TrainEpoch(frames, progress, cancellationToken));
    }

    /// <summary>One epoch: <see cref="CropsPerTimepoint"/> crops from each annotated timepoint in random order.</summary>
    /// <param name="frames">Annotated timepoints; frames without a labelled voxel are left out.</param>
    /// <param name="progress">Receives every step's loss.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <returns>The mean loss of the epoch's steps.</returns>
    public double TrainEpoch(IReadOnlyList<TrainingFrame> frames, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var samplers = frames.Select(f => Sampler(f)).Where(s => s.HasLabels).ToArray();
        if (samplers.Length == 0)
        {
            throw new ArgumentException("No frame has a labelled voxel.", nameof(frames));
        }

        var items = Enumerable.Range(0, samplers.Length * CropsPerTimepoint).Select(i => samplers[i / CropsPerTimepoint]).ToArray();
        random.Shuffle(items);
        model.Train();
        var mean = TrainingLoop.Epoch(items, Options.BatchSize, epochs, Step, progress, cancellationToken);
        epochs++;
        ModelUpdated?.Invoke(this, new ModelUpdatedEventArgs(epochs, mean));
        return mean;
    }

    /// <summary>Releases the optimiser's state (the model stays with its owner).</summary>
    public void Dispose() => optimizer.Dispose();

    private CropSampler Sampler(TrainingFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Normalised.Length != frame.Labels.Length || frame.Normalised.Depth != frame.Labels.Depth || frame.Normalised.Height != frame.Labels.Height)
        {
            throw new ArgumentException("A frame and its labels must have the same shape.", nameof(frame));
        }

        return new CropSampler(frame, Options.CropSize, augmentation);
    }

    private double Step(ReadOnlySpan<CropSampler> batch)
    {
        var crop = batch[0].Crop;
        if (batch.ToArray().Any(s => s.Crop != crop))
        {
            throw new ArgumentException("Frames of one batch must give crops of one size; use a batch size of 1 for frames of different sizes.");
        }

        var length = crop.Depth * crop.Height * crop.Width;
        var input = new float[batch.Length * length];
        var labels = new byte[batch.Length * length];
        for (var b = 0; b < batch.Length; b++)
        {
            batch[b].Draw(random, input.AsSpan(b * length, length), labels.AsSpan(b * length, length));
        }

        using var scope = DisposeScope.Enter();
        using var kernels = Options.OneDnnConvolutions ? Conv3dKernels.ForceOneDnn() : null;
        var tensor = Tensor.FromSpan<float>(input, [batch.Length, 1, crop.Depth, crop.Height, crop.Width]);
        var loss = this.loss.Compute(model.Forward(tensor, keepAxials), labels);
        return TrainingLoop.Optimise(optimizer, loss);
    }
}
