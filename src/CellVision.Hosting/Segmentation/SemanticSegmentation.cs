using System.Diagnostics;
using CellVision.Core.Diagnostics;
using CellVision.Core.Volumes;
using CellVision.Segmentation;
using CellVision.Torch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CellVision.Hosting;

/// <summary>
/// <see cref="ISemanticSegmentation"/> over <see cref="CellVisionContext"/>'s segmentation catalog. Logs each prediction
/// (shape, model, blocks, milliseconds) and training run (steps, milliseconds), and failures as errors.
/// </summary>
public sealed partial class SemanticSegmentation : ISemanticSegmentation
{
    private readonly ILogger<SemanticSegmentation> logger;
    private readonly CellVisionContext context;

    /// <summary>Creates the service.</summary>
    /// <param name="prediction">The prediction settings.</param>
    /// <param name="training">The training settings.</param>
    /// <param name="logger">Receives the operations.</param>
    /// <param name="loggerFactory">Passed to the context the service works through.</param>
    public SemanticSegmentation(IOptions<SemanticPredictionOptions> prediction, IOptions<SemanticTrainingOptions> training, ILogger<SemanticSegmentation> logger, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(logger);
        PredictionOptions = prediction.Value.Validate();
        TrainingOptions = training.Value;
        this.logger = logger;
        context = new CellVisionContext(loggerFactory: loggerFactory);
    }

    /// <inheritdoc />
    public SemanticPredictionOptions PredictionOptions { get; }

    /// <inheritdoc />
    public SemanticTrainingOptions TrainingOptions { get; }

    /// <inheritdoc />
    public SemanticBlockGrid Predict(IChunkedVolume raw, string modelPath, SemanticPredictionTargets targets, IReadOnlyList<Size3>? downsampleFactors = null, Box? region = null, IChunkedVolume? mask = null, IReadOnlySet<int>? finishedBlocks = null, IProgress<SemanticPredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var network = SemanticUNet.Load(modelPath, downsampleFactors);
            var grid = context.Segmentation.PredictSemantic(raw, network, targets, PredictionOptions, region, mask, finishedBlocks, progress, cancellationToken);
            Log.Predicted(logger, string.Join('×', raw.Shape), modelPath, grid.Count, Describe.Milliseconds(start));
            return grid;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.Failed(logger, exception, modelPath);
            throw;
        }
    }

    /// <inheritdoc />
    public long Train(SemanticUNet network, IReadOnlyList<SemanticTrainingVolume> training, string? checkpoint = null, IReadOnlyList<SemanticTrainingVolume>? validation = null, IProgress<SemanticTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        var start = Stopwatch.GetTimestamp();
        try
        {
            var step = context.Segmentation.TrainSemantic(network, training, TrainingOptions, validation, checkpoint, progress, cancellationToken);
            Log.Trained(logger, step, checkpoint ?? "(no checkpoint)", Describe.Milliseconds(start));
            return step;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.Failed(logger, exception, checkpoint ?? "(no checkpoint)");
            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6200, Level = LogLevel.Information, Message = "Predicted a {Shape} volume with {Model}: {Blocks} block(s) in {ElapsedMs:F0} ms")]
        public static partial void Predicted(ILogger logger, string shape, string model, int blocks, double elapsedMs);

        [LoggerMessage(EventId = 6210, Level = LogLevel.Information, Message = "Trained a semantic U-Net to step {Step} ({Checkpoint}) in {ElapsedMs:F0} ms")]
        public static partial void Trained(ILogger logger, long step, string checkpoint, double elapsedMs);

        [LoggerMessage(EventId = 6240, Level = LogLevel.Error, Message = "Semantic segmentation with {Model} failed")]
        public static partial void Failed(ILogger logger, Exception exception, string model);
    }
}
