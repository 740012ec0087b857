using System.Diagnostics;
using CellVision.Core.Annotations;
using CellVision.Core.Volumes;
using CellVision.Detection.Annotations;
using CellVision.Detection.Labels;
using CellVision.Detection.Models;
using CellVision.Detection.Prediction;
using CellVision.Detection.Training;
using CellVision.Hosting.Internal;
using CellVision.Torch.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CellVision.Hosting;

/// <summary>
/// <see cref="INucleusDetector"/> over <see cref="DetectionUNet"/>, <see cref="DetectionTrainer"/> and
/// <see cref="DetectionPredictor"/>. The network is created (randomly initialised by libtorch's generator, see
/// <c>TorchRuntime.ManualSeed</c>) on first use; training and detection take turns on it. Logs every operation with its
/// counts and duration and warns about suspicious input: detection without loaded or trained weights, frames holding a
/// single value, annotations outside the frame, labels without background voxels, an anisotropy other than the one
/// trained on, timepoints where nothing is found, detection into timepoints that already hold spots.
/// </summary>
public sealed partial class NucleusDetector : INucleusDetector, IDisposable
{
    private readonly ILogger<NucleusDetector> logger;
    private readonly Lock gate = new();
    private DetectionUNet? model;
    private bool[]? trainedKeepAxials;
    private bool disposed;

    /// <summary>Creates the detector; the network itself is made on first use.</summary>
    /// <param name="prediction">Patch size, batch size and blending of the prediction.</param>
    /// <param name="spotExtraction">Threshold, centre ratio and radius limits of the nuclei.</param>
    /// <param name="training">Crops, epochs, learning rate, augmentation and seed of the training.</param>
    /// <param name="labels">How tagged spots are painted into training labels.</param>
    /// <param name="logger">Receives the operations.</param>
    public NucleusDetector(
        IOptions<PredictionOptions> prediction, IOptions<SpotExtractionOptions> spotExtraction, IOptions<DetectionTrainingOptions> training,
        IOptions<LabelOptions> labels, ILogger<NucleusDetector> logger)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(spotExtraction);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(logger);
        Prediction = prediction.Value;
        SpotExtraction = spotExtraction.Value;
        Training = training.Value;
        Labels = labels.Value;
        this.logger = logger;
    }

    /// <summary>The prediction settings in use.</summary>
    public PredictionOptions Prediction { get; }

    /// <summary>The spot extraction settings in use.</summary>
    public SpotExtractionOptions SpotExtraction { get; }

    /// <summary>The training settings in use.</summary>
    public DetectionTrainingOptions Training { get; }

    /// <summary>The label settings in use.</summary>
    public LabelOptions Labels { get; }

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
            using var weights = PthFile.LoadStateDict(path);
            lock (gate)
            {
                Model.LoadStateDict(weights);
                HasWeights = true;
                trainedKeepAxials = null;
            }

            Log.LoadedWeights(logger, path, weights.Count, Describe.Milliseconds(start));
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
            Log.Training(logger, timepoints.Count, count, Training.Epochs, Training.CropsPerTimepoint,
                Describe.Shape(Training.CropSize.Depth, Training.CropSize.Height, Training.CropSize.Width), Training.LearningRate, keepAxials.Count(k => k));
            if (Training.Epochs == 0)
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
                using var trainer = new DetectionTrainer(Model, keepAxials, Training);
                trainer.ModelUpdated += (_, e) =>
                {
                    Log.Epoch(logger, e.Epoch, Training.Epochs, e.MeanLoss);
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
    public IReadOnlyList<DetectedSpot> DetectFrame(Volume<ushort> frame, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var start = Stopwatch.GetTimestamp();
        try
        {
            WarnWithoutWeights();
            var nuclei = DetectCore(frame, null, progress, cancellationToken);
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

            Log.Detecting(logger, last - first + 1, first, last,
                Describe.Shape(Prediction.PatchSize.Depth, Prediction.PatchSize.Height, Prediction.PatchSize.Width), SpotExtraction.ProbabilityThreshold);
            WarnWithoutWeights();
            for (var t = first; t <= last; t++)
            {
                var frameStart = Stopwatch.GetTimestamp();
                if (graph.SpotsAt(t).Count is > 0 and var existing)
                {
                    Log.TimepointHasSpots(logger, t, existing);
                }

                var nuclei = DetectCore(frames[t], t, null, cancellationToken);
                foreach (var nucleus in nuclei)
                {
                    graph.AddDetectedSpot(t, nucleus);
                }

                found[t] = nuclei.Count;
                Log.TimepointDetected(logger, t, nuclei.Count, Describe.Milliseconds(frameStart));
                progress?.Report(new DetectionProgress(t, t - first + 1, last - first + 1, nuclei.Count));
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

    /// <summary>Releases the network's tensors.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            model?.Dispose();
            model = null;
        }
    }

    private DetectionUNet Model
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (model is null)
            {
                model = new DetectionUNet();
                Log.ModelCreated(logger, model.Parameters().Sum(p => p.Shape.Aggregate(1L, (a, b) => a * b)));
            }

            return model;
        }
    }

    private void WarnWithoutWeights()
    {
        if (!HasWeights)
        {
            Log.NoWeights(logger);
        }
    }

    private IReadOnlyList<DetectedSpot> DetectCore(Volume<ushort> frame, int? timepoint, IProgress<PredictionProgress>? progress, CancellationToken cancellationToken)
    {
        if (Describe.IsConstant(frame))
        {
            Log.ConstantFrame(logger, Describe.Frame(timepoint), Describe.Shape(frame));
        }

        var keepAxials = KeepAxials.FromVoxelSize(frame.VoxelSize);
        using var input = Normalization.MinMaxToUnit(frame);
        IReadOnlyList<DetectedSpot> nuclei;
        lock (gate)
        {
            if (trainedKeepAxials is { } trained && !trained.AsSpan().SequenceEqual(keepAxials))
            {
                Log.AnisotropyDiffers(logger, Describe.Frame(timepoint), Describe.Size(frame.VoxelSize), keepAxials.Count(k => k), trained.Count(k => k));
            }

            var predictor = new DetectionPredictor(Model, keepAxials);
            nuclei = predictor.Detect(input, Prediction, SpotExtraction, progress, cancellationToken);
        }

        if (nuclei.Count == 0)
        {
            Log.NothingFound(logger, Describe.Frame(timepoint), SpotExtraction.ProbabilityThreshold);
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
            var labels = LabelGenerator.Generate((frame.Depth, frame.Height, frame.Width), size, spots, Labels, normalised);
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
                Log.NoBackground(logger, timepoint, Labels.AutoBackgroundThreshold);
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

        [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Loaded detector weights {Path}: {Tensors} tensors in {ElapsedMs:F0} ms")]
        public static partial void LoadedWeights(ILogger logger, string path, int tensors, double elapsedMs);

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

        [LoggerMessage(EventId = 2030, Level = LogLevel.Warning, Message = "Timepoint {Timepoint} already holds {Spots} spot(s); the detected nuclei are added beside them (SpotSuppressor merges instead)")]
        public static partial void TimepointHasSpots(ILogger logger, int timepoint, int spots);

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
