using System.Diagnostics;
using CellVision.Core.Annotations;
using CellVision.Core.Diagnostics;
using CellVision.Core.Volumes;
using CellVision.Networks;
using CellVision.Torch;
using CellVision.Torch.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CellVision.Detection;

/// <summary>
/// ELEPHANT's nucleus detection as one workflow: it owns the 3-class U-Net (or an ensemble of them), the keep-Z levels
/// it was trained with, the per-frame min–max normalisation, training from the tagged spots of a
/// <see cref="LineageGraph"/>, patch-wise detection and the merge of detected nuclei into a graph
/// (<see cref="SpotSuppressor"/>, as ELEPHANT's client does), and <c>.pth</c> files with ELEPHANT's keys. The library,
/// the command line, the hosting services and the server all detect through it, so the same weights and options give
/// the same nuclei whichever route a user takes.
/// </summary>
/// <remarks>
/// <para>The network is created on first use: with <see cref="DetectionTrainingOptions.Seed"/> set its random
/// initialisation is drawn from libtorch's generator seeded with it (<see cref="TorchRuntime.Seeded{T}"/>), and the same
/// seed also drives the crops, augmentations and flips of training, so one seed reproduces the weights bit for bit.</para>
/// <para>Training and detection take turns on the network; the members are safe to call from several threads. When a
/// logger is given every operation is logged with its counts and duration, with warnings about suspicious input:
/// detection without loaded or trained weights, frames holding a single value, annotations outside the frame, labels
/// without background voxels, an anisotropy other than the one trained on, timepoints where nothing is found.</para>
/// </remarks>
/// <example>
/// <code>
/// using var detector = new NucleusDetector(new NucleusDetectorOptions { Training = new() { Epochs = 5, Seed = 1 } });
/// detector.Train(frames, annotations);            // spots tagged tp, fp, tn, fn, tb or fb
/// var nuclei = new LineageGraph();
/// detector.Detect(frames, nuclei);                 // every timepoint, merged as ELEPHANT merges
/// detector.SaveWeights("detector.pth");            // torch.load and ELEPHANT read it
/// </code>
/// </example>
public sealed partial class NucleusDetector : INucleusDetector, IDisposable
{
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private List<DetectionUNet>? models;
    private bool[]? trainedKeepAxials;
    private bool disposed;

    /// <summary>Creates the detector; the network itself is made on first use.</summary>
    /// <param name="options">Every setting; null for ELEPHANT's defaults.</param>
    /// <param name="logger">Receives the operations and warnings; null for none.</param>
    public NucleusDetector(NucleusDetectorOptions? options = null, ILogger? logger = null)
    {
        Options = options ?? new NucleusDetectorOptions();
        ArgumentNullException.ThrowIfNull(Options.Prediction, nameof(options));
        ArgumentNullException.ThrowIfNull(Options.SpotExtraction, nameof(options));
        ArgumentNullException.ThrowIfNull(Options.Training, nameof(options));
        ArgumentNullException.ThrowIfNull(Options.Labels, nameof(options));
        ArgumentNullException.ThrowIfNull(Options.Suppression, nameof(options));
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Raised after every training epoch with its mean loss.</summary>
    public event EventHandler<ModelUpdatedEventArgs>? ModelUpdated;

    /// <summary>The settings in use.</summary>
    public NucleusDetectorOptions Options { get; }

    /// <summary>The number of networks whose probabilities are averaged (1 unless an ensemble file was loaded).</summary>
    public int EnsembleSize
    {
        get
        {
            lock (gate)
            {
                return models?.Count ?? 1;
            }
        }
    }

    /// <summary>The keep-Z levels of the last training (see <see cref="KeepAxials"/>); null when the weights were loaded or are random.</summary>
    public IReadOnlyList<bool>? TrainedKeepAxials => trainedKeepAxials;

    /// <summary>Creates a detector holding the weights of a <c>.pth</c> file (a state dict, or a list of them: an ensemble).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Every setting; null for ELEPHANT's defaults.</param>
    /// <param name="logger">Receives the operations and warnings; null for none.</param>
    /// <returns>The detector; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="PthFormatException">The file is not a readable state dict or list of them.</exception>
    /// <exception cref="StateDictMismatchException">The keys or shapes are not the detection U-Net's.</exception>
    public static NucleusDetector Load(string path, NucleusDetectorOptions? options = null, ILogger? logger = null)
    {
        var detector = new NucleusDetector(options, logger);
        try
        {
            detector.LoadWeights(path);
            return detector;
        }
        catch
        {
            detector.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public bool HasWeights { get; private set; }

    /// <inheritdoc />
    public void LoadWeights(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var start = Stopwatch.GetTimestamp();
        Log.LoadingWeights(logger, path);
        try
        {
            var loaded = DetectionUNet.LoadEnsemble(path);
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                models?.ForEach(m => m.Dispose());
                models = [.. loaded];
                HasWeights = true;
                trainedKeepAxials = null;
            }

            Log.LoadedWeights(logger, path, loaded.Count, Describe.Milliseconds(start));
        }
        catch (Exception exception)
        {
            Log.LoadWeightsFailed(logger, exception, path);
            throw;
        }
    }

    /// <inheritdoc />
    public void SaveWeights(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var start = Stopwatch.GetTimestamp();
        try
        {
            lock (gate)
            {
                if (!HasWeights)
                {
                    Log.SavingUntrained(logger, path);
                }

                if (models is { Count: > 1 })
                {
                    throw new InvalidOperationException($"The detector holds an ensemble of {models.Count} networks; save the file it was loaded from instead.");
                }

                using var weights = Model.StateDict();
                PthFile.Save(path, weights);
                Log.SavedWeights(logger, path, weights.Count, Describe.Milliseconds(start));
            }
        }
        catch (Exception exception)
        {
            Log.SaveWeightsFailed(logger, exception, path);
            throw;
        }
    }

    /// <inheritdoc />
    public DetectorTrainingResult Train(IReadOnlyList<Volume<ushort>> frames, LineageGraph annotations, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(annotations);
        var start = Stopwatch.GetTimestamp();
        var trainingFrames = new List<TrainingFrame>();
        try
        {
            if (frames.Count == 0)
            {
                throw new ArgumentException("The movie has no frame to train on.", nameof(frames));
            }

            var timepoints = annotations.Timepoints.Where(t => annotations.TrainingAnnotations(t).Count > 0).ToList();
            if (timepoints.Count == 0)
            {
                throw new ArgumentException("No spot is tagged (tp, fn, tb, fb, tn or fp), so there is nothing to learn from.", nameof(annotations));
            }

            if (timepoints.Where(t => t >= frames.Count).ToList() is { Count: > 0 } beyond)
            {
                throw new ArgumentException($"Tagged spots lie at timepoint(s) {Describe.List(beyond)}, but the movie has {frames.Count} timepoint(s).", nameof(annotations));
            }

            var count = timepoints.Sum(t => annotations.TrainingAnnotations(t).Count);
            var keepAxials = KeepAxials.FromVoxelSize(frames[timepoints[0]].VoxelSize);
            var training = Options.Training;
            Log.Training(logger, timepoints.Count, count, training.Epochs, training.CropsPerTimepoint,
                Describe.Shape(training.CropSize.Depth, training.CropSize.Height, training.CropSize.Width), training.LearningRate, keepAxials.Count(k => k));
            if (training.Epochs == 0)
            {
                Log.NoEpochs(logger);
            }

            foreach (var t in timepoints)
            {
                trainingFrames.Add(Prepare(frames[t], t, annotations.TrainingAnnotations(t)));
            }

            IReadOnlyList<double> losses;
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                if (models is { Count: > 1 })
                {
                    throw new InvalidOperationException($"The detector holds an ensemble of {models.Count} networks, which predicts only; train a single network.");
                }

                using var trainer = new DetectionTrainer(Model, keepAxials, training);
                trainer.ModelUpdated += (_, e) =>
                {
                    Log.Epoch(logger, e.Epoch, training.Epochs, e.MeanLoss);
                    ModelUpdated?.Invoke(this, e);
                    if (!double.IsFinite(e.MeanLoss))
                    {
                        Log.LossNotFinite(logger, e.Epoch, e.MeanLoss);
                    }
                };
                try
                {
                    losses = trainer.Train(trainingFrames, progress, cancellationToken);
                }
                finally
                {
                    // Even a cancelled run has changed the weights.
                    HasWeights = true;
                    trainedKeepAxials = keepAxials;
                }
            }

            var elapsed = Stopwatch.GetElapsedTime(start);
            Log.Trained(logger, losses.Count, losses.Count == 0 ? double.NaN : losses[^1], timepoints.Count, elapsed.TotalMilliseconds);
            return new DetectorTrainingResult(losses, timepoints, count, elapsed);
        }
        catch (OperationCanceledException)
        {
            Log.TrainingCancelled(logger);
            throw;
        }
        catch (Exception exception)
        {
            Log.TrainingFailed(logger, exception);
            throw;
        }
        finally
        {
            foreach (var frame in trainingFrames)
            {
                frame.Normalised.Dispose();
                frame.Labels.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<DetectedSpot> DetectFrame(Volume<ushort> frame, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default) =>
        DetectFrameCore(frame, null, progress, cancellationToken);

    private IReadOnlyList<DetectedSpot> DetectFrameCore(Volume<ushort> frame, Action<DetectionProbabilities>? probabilitiesReady, IProgress<PredictionProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var start = Stopwatch.GetTimestamp();
        try
        {
            WarnWithoutWeights();
            var nuclei = DetectCore(frame, null, progress, cancellationToken, probabilitiesReady);
            Log.FrameDetected(logger, nuclei.Count, Describe.Shape(frame), Describe.Milliseconds(start));
            return nuclei;
        }
        catch (OperationCanceledException)
        {
            Log.DetectionCancelled(logger);
            throw;
        }
        catch (Exception exception)
        {
            Log.DetectionFailed(logger, exception);
            throw;
        }
    }

    /// <summary>
    /// Detects the nuclei of one raw frame exactly as <see cref="DetectFrame"/> does, and hands the frame's class
    /// probabilities to <paramref name="probabilitiesReady"/> before the nuclei are extracted (ELEPHANT's "output
    /// prediction"); they are disposed when it returns.
    /// </summary>
    /// <param name="frame">Raw intensities with the frame's voxel size.</param>
    /// <param name="probabilitiesReady">Receives the background, border and centre probabilities, (D, H, W) each.</param>
    /// <param name="progress">Receives the number of patches done.</param>
    /// <param name="cancellationToken">Stops between patches.</param>
    /// <returns>The nuclei, centres and covariances in µm.</returns>
    public IReadOnlyList<DetectedSpot> DetectFrameWithProbabilities(Volume<ushort> frame, Action<DetectionProbabilities> probabilitiesReady, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probabilitiesReady);
        return DetectFrameCore(frame, probabilitiesReady, progress, cancellationToken);
    }

    /// <inheritdoc />
    public DetectionSummary Detect(IReadOnlyList<Volume<ushort>> frames, LineageGraph graph, (int First, int Last)? timepoints = null, IProgress<DetectionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(graph);
        var start = Stopwatch.GetTimestamp();
        var found = new SortedDictionary<int, int>();
        try
        {
            var (first, last) = timepoints ?? (0, frames.Count - 1);
            if (frames.Count == 0 || first < 0 || last < first || last >= frames.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(timepoints), timepoints, $"The timepoints {first}–{last} are not a range within the movie's {frames.Count} timepoint(s).");
            }

            var patch = Options.Prediction.PatchSize;
            Log.Detecting(logger, last - first + 1, first, last, Describe.Shape(patch.Depth, patch.Height, patch.Width), Options.SpotExtraction.ProbabilityThreshold);
            WarnWithoutWeights();
            for (var t = first; t <= last; t++)
            {
                var frameStart = Stopwatch.GetTimestamp();
                var nuclei = DetectCore(frames[t], t, null, cancellationToken);
                var merge = SpotSuppressor.Apply(graph, t, nuclei, Options.Suppression);
                if (merge.Suppressed > 0 || merge.Removed > 0)
                {
                    Log.Merged(logger, t, nuclei.Count, merge.Added, merge.Suppressed, merge.Removed);
                }

                found[t] = merge.Added;
                Log.TimepointDetected(logger, t, merge.Added, Describe.Milliseconds(frameStart));
                progress?.Report(new DetectionProgress(t, t - first + 1, last - first + 1, merge.Added));
            }

            var elapsed = Stopwatch.GetElapsedTime(start);
            var summary = new DetectionSummary(found, elapsed);
            Log.Detected(logger, summary.Nuclei, found.Count, elapsed.TotalMilliseconds);
            return summary;
        }
        catch (OperationCanceledException)
        {
            Log.DetectionCancelled(logger);
            throw;
        }
        catch (Exception exception)
        {
            Log.DetectionFailed(logger, exception);
            throw;
        }
    }

    /// <summary>Releases the networks' tensors.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            models?.ForEach(m => m.Dispose());
            models = null;
        }
    }

    /// <summary>The single network (created on first use, seeded when the options carry a seed); call under the gate.</summary>
    private DetectionUNet Model => Networks[0];

    /// <summary>The networks (created on first use); call under the gate.</summary>
    private List<DetectionUNet> Networks
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (models is null)
            {
                var model = Options.Training.Seed is int seed ? TorchRuntime.Seeded(unchecked((ulong)seed), () => new DetectionUNet()) : new DetectionUNet();
                models = [model];
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    Log.ModelCreated(logger, model.Parameters().Sum(p => p.Shape.Aggregate(1L, (a, b) => a * b)));
                }
            }

            return models;
        }
    }

    private void WarnWithoutWeights()
    {
        if (!HasWeights)
        {
            Log.NoWeights(logger);
        }
    }

    private IReadOnlyList<DetectedSpot> DetectCore(Volume<ushort> frame, int? timepoint, IProgress<PredictionProgress>? progress, CancellationToken cancellationToken, Action<DetectionProbabilities>? probabilitiesReady = null)
    {
        if (Describe.IsConstant(frame))
        {
            Log.ConstantFrame(logger, Describe.Frame(timepoint), Describe.Shape(frame));
        }

        // The client derives the keep-Z levels from the voxel size after its rescale factors.
        var keepAxials = KeepAxials.FromVoxelSize(InputResizing.Resized(frame.VoxelSize, Options.Prediction.ResizeFactor));
        using var input = Normalization.MinMaxToUnit(frame);
        IReadOnlyList<DetectedSpot> nuclei;
        lock (gate)
        {
            if (trainedKeepAxials is { } trained && !trained.AsSpan().SequenceEqual(keepAxials))
            {
                Log.AnisotropyDiffers(logger, Describe.Frame(timepoint), Describe.Size(frame.VoxelSize), keepAxials.Count(k => k), trained.Count(k => k));
            }

            var predictor = new DetectionPredictor(Networks, keepAxials);
            nuclei = predictor.Detect(input, Options.Prediction, Options.SpotExtraction, progress, probabilitiesReady, cancellationToken);
        }

        if (nuclei.Count == 0)
        {
            Log.NothingFound(logger, Describe.Frame(timepoint), Options.SpotExtraction.ProbabilityThreshold);
        }

        return nuclei;
    }

    private TrainingFrame Prepare(Volume<ushort> frame, int timepoint, IReadOnlyList<AnnotatedSpot> spots)
    {
        if (Describe.IsConstant(frame))
        {
            Log.ConstantFrame(logger, Describe.Frame(timepoint), Describe.Shape(frame));
        }

        var size = frame.VoxelSize;
        var outside = spots.Count(s => s.X < 0 || s.Y < 0 || s.Z < 0 || s.X >= frame.Width * size.X || s.Y >= frame.Height * size.Y || s.Z >= frame.Depth * size.Z);
        if (outside > 0)
        {
            Log.AnnotationsOutside(logger, timepoint, outside, spots.Count, Describe.Shape(frame), Describe.Size(size));
        }

        var normalised = Normalization.MinMaxToUnit(frame);
        try
        {
            var labels = LabelGenerator.Generate((frame.Depth, frame.Height, frame.Width), size, spots, Options.Labels, normalised);
            long background = 0, border = 0, centre = 0;
            foreach (var label in labels.Span)
            {
                switch (label)
                {
                    case 1 or 4:
                        background++;
                        break;
                    case 2 or 5:
                        border++;
                        break;
                    case 3 or 6:
                        centre++;
                        break;
                }
            }

            Log.Labels(logger, timepoint, spots.Count, background, border, centre);
            if (background + border + centre == 0)
            {
                Log.NoLabelledVoxel(logger, timepoint);
            }
            else if (background == 0)
            {
                Log.NoBackground(logger, timepoint, Options.Labels.AutoBackgroundThreshold);
            }

            return new TrainingFrame(normalised, labels);
        }
        catch
        {
            normalised.Dispose();
            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "Created the detection U-Net with random weights ({Parameters} parameters)")]
        public static partial void ModelCreated(ILogger logger, long parameters);

        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Loading detector weights {Path}")]
        public static partial void LoadingWeights(ILogger logger, string path);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Loaded detector weights {Path}: {Networks} network(s) in {ElapsedMs:F0} ms")]
        public static partial void LoadedWeights(ILogger logger, string path, int networks, double elapsedMs);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Saved detector weights {Path}: {Tensors} tensors in {ElapsedMs:F0} ms")]
        public static partial void SavedWeights(ILogger logger, string path, int tensors, double elapsedMs);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Training the detector on {Timepoints} timepoint(s) with {Annotations} tagged spot(s): {Epochs} epoch(s) of {Crops} crop(s) of {CropSize} voxels per timepoint, learning rate {LearningRate}, {KeptLevels} level(s) keeping Z")]
        public static partial void Training(ILogger logger, int timepoints, int annotations, int epochs, int crops, string cropSize, double learningRate, int keptLevels);

        [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Timepoint {Timepoint}: {Spots} tagged spot(s) paint {Background} background, {Border} border and {Centre} centre voxels")]
        public static partial void Labels(ILogger logger, int timepoint, int spots, long background, long border, long centre);

        [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Epoch {Epoch} of {Epochs}: mean loss {Loss:F4}")]
        public static partial void Epoch(ILogger logger, int epoch, int epochs, double loss);

        [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Trained the detector: {Epochs} epoch(s), final loss {Loss:F4}, {Timepoints} timepoint(s), in {ElapsedMs:F0} ms")]
        public static partial void Trained(ILogger logger, int epochs, double loss, int timepoints, double elapsedMs);

        [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Detecting nuclei in {Timepoints} timepoint(s) ({First}–{Last}), patches of {PatchSize} voxels, centre probability above {Threshold}")]
        public static partial void Detecting(ILogger logger, int timepoints, int first, int last, string patchSize, double threshold);

        [LoggerMessage(EventId = 2009, Level = LogLevel.Information, Message = "Timepoint {Timepoint}: {Nuclei} nuclei in {ElapsedMs:F0} ms")]
        public static partial void TimepointDetected(ILogger logger, int timepoint, int nuclei, double elapsedMs);

        [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Detected {Nuclei} nuclei in {Timepoints} timepoint(s) in {ElapsedMs:F0} ms")]
        public static partial void Detected(ILogger logger, int nuclei, int timepoints, double elapsedMs);

        [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Detected {Nuclei} nuclei in a frame of {Shape} voxels in {ElapsedMs:F0} ms")]
        public static partial void FrameDetected(ILogger logger, int nuclei, string shape, double elapsedMs);

        [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "The detector has neither loaded nor trained weights: it detects with its random initialisation")]
        public static partial void NoWeights(ILogger logger);

        [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "Saving the detector's random, untrained weights to {Path}")]
        public static partial void SavingUntrained(ILogger logger, string path);

        [LoggerMessage(EventId = 2022, Level = LogLevel.Warning, Message = "DetectionTraining.Epochs is 0: the weights will not change")]
        public static partial void NoEpochs(ILogger logger);

        [LoggerMessage(EventId = 2023, Level = LogLevel.Warning, Message = "Epoch {Epoch}: the mean loss is {Loss} (no crop held a labelled voxel, or training diverged)")]
        public static partial void LossNotFinite(ILogger logger, int epoch, double loss);

        [LoggerMessage(EventId = 2024, Level = LogLevel.Warning, Message = "{Frame}: the {Shape} frame holds a single value (blank or saturated)")]
        public static partial void ConstantFrame(ILogger logger, string frame, string shape);

        [LoggerMessage(EventId = 2025, Level = LogLevel.Warning, Message = "Timepoint {Timepoint}: {Outside} of {Spots} tagged spot(s) have their centre outside the {Shape} frame of voxel size {VoxelSize}; are the annotations in µm for this movie?")]
        public static partial void AnnotationsOutside(ILogger logger, int timepoint, int outside, int spots, string shape, string voxelSize);

        [LoggerMessage(EventId = 2026, Level = LogLevel.Warning, Message = "Timepoint {Timepoint}: the tagged spots paint no voxel; it is left out of training")]
        public static partial void NoLabelledVoxel(ILogger logger, int timepoint);

        [LoggerMessage(EventId = 2027, Level = LogLevel.Warning, Message = "Timepoint {Timepoint}: the labels hold no background voxel (no tn/fp spot, auto-background threshold {Threshold}); the network never sees background and may call everything a nucleus")]
        public static partial void NoBackground(ILogger logger, int timepoint, double threshold);

        [LoggerMessage(EventId = 2028, Level = LogLevel.Warning, Message = "{Frame}: the voxel size {VoxelSize} gives {Levels} U-Net level(s) keeping Z, but the model was trained with {TrainedLevels}")]
        public static partial void AnisotropyDiffers(ILogger logger, string frame, string voxelSize, int levels, int trainedLevels);

        [LoggerMessage(EventId = 2029, Level = LogLevel.Warning, Message = "{Frame}: no nucleus found with centre probability above {Threshold}; is the model trained for this data?")]
        public static partial void NothingFound(ILogger logger, string frame, double threshold);

        [LoggerMessage(EventId = 2030, Level = LogLevel.Debug, Message = "Timepoint {Timepoint}: of {Detected} nuclei detected {Added} were added and {Suppressed} merged into spots within the suppression distance; {Removed} earlier prediction(s) removed")]
        public static partial void Merged(ILogger logger, int timepoint, int detected, int added, int suppressed, int removed);

        [LoggerMessage(EventId = 2040, Level = LogLevel.Error, Message = "Loading detector weights {Path} failed")]
        public static partial void LoadWeightsFailed(ILogger logger, Exception exception, string path);

        [LoggerMessage(EventId = 2041, Level = LogLevel.Error, Message = "Saving detector weights {Path} failed")]
        public static partial void SaveWeightsFailed(ILogger logger, Exception exception, string path);

        [LoggerMessage(EventId = 2042, Level = LogLevel.Error, Message = "Training the detector failed")]
        public static partial void TrainingFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 2043, Level = LogLevel.Error, Message = "Detecting nuclei failed")]
        public static partial void DetectionFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 2044, Level = LogLevel.Information, Message = "Training the detector was cancelled; the weights keep the steps done")]
        public static partial void TrainingCancelled(ILogger logger);

        [LoggerMessage(EventId = 2045, Level = LogLevel.Information, Message = "Detecting nuclei was cancelled")]
        public static partial void DetectionCancelled(ILogger logger);
    }
}
