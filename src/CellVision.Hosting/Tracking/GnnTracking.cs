using System.Diagnostics;
using CellVision.Core.Diagnostics;
using CellVision.Tracking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CellVision.Hosting;

/// <summary>
/// <see cref="IGnnTracking"/> over <see cref="CellVisionContext"/>'s tracking catalog. Logs each training (windows,
/// epochs, the epoch kept, milliseconds) and tracking (cells, tracks, links, milliseconds), and warns when the validation
/// accuracy never moved (training stopped on the plateau the reference network starts on; train longer or raise the
/// patience).
/// </summary>
public sealed partial class GnnTracking : IGnnTracking
{
    private readonly ILogger<GnnTracking> logger;
    private readonly CellVisionContext context;

    /// <summary>Creates the service.</summary>
    /// <param name="options">The GNN tracker's settings.</param>
    /// <param name="logger">Receives the operations.</param>
    /// <param name="loggerFactory">Passed to the context the service works through.</param>
    public GnnTracking(IOptions<GnnTrackerOptions> options, ILogger<GnnTracking> logger, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        Options = options.Value;
        Options.Validate();
        this.logger = logger;
        // No context seed: resolving the service must not reseed libtorch's generator; the options carry the seed.
        context = new CellVisionContext(loggerFactory: loggerFactory);
    }

    /// <inheritdoc />
    public GnnTrackerOptions Options { get; }

    /// <inheritdoc />
    public GnnTrainingResult Train(IReadOnlyList<string> sequenceFolders, string modelPath, IProgress<GnnEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequenceFolders);
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var tracker = context.Tracking.TrainGnn(sequenceFolders, Options, progress: progress, cancellationToken: cancellationToken);
            tracker.SaveWeights(modelPath);
            tracker.EmbeddingModel?.Save(GnnEmbeddingOptions.BesideWeights(modelPath));
            var result = tracker.LastTraining!;
            var epochs = result.Epochs;
            if (epochs.Count > 1 && epochs.All(e => e.ValidationAccuracy.Equals(epochs[0].ValidationAccuracy)))
            {
                Log.Plateau(logger, epochs.Count, epochs[0].ValidationAccuracy);
            }

            var kept = epochs.FirstOrDefault(e => e.Epoch == result.BestEpoch);
            Log.Trained(logger, sequenceFolders.Count, epochs.Count, result.BestEpoch, kept.ValidationAccuracy, modelPath, Describe.Milliseconds(start));
            return result;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.Failed(logger, exception, "Training the GNN tracker");
            throw;
        }
    }

    /// <inheritdoc />
    public DecodedTracks Track(string modelPath, string imagesFolder, string masksFolder, string resultFolder, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var tracker = context.Tracking.LoadGnn(modelPath, Options);
            var tracks = context.Tracking.TrackGnn(tracker, imagesFolder, masksFolder, resultFolder, cancellationToken: cancellationToken);
            Log.Tracked(logger, tracks.Graph.SpotCount, tracks.Tracks.Count, tracks.Graph.LinkCount, resultFolder, Describe.Milliseconds(start));
            return tracks;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.Failed(logger, exception, "Tracking with the GNN");
            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Trained the GNN tracker on {Sequences} sequence(s): {Epochs} epoch(s), kept epoch {BestEpoch} (validation accuracy {Accuracy:F4}), saved to {Path} in {ElapsedMs:F0} ms")]
        public static partial void Trained(ILogger logger, int sequences, int epochs, int bestEpoch, double accuracy, string path, double elapsedMs);

        [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Tracked {Cells} cells into {Tracks} tracks with {Links} links, written to {Folder} in {ElapsedMs:F0} ms")]
        public static partial void Tracked(ILogger logger, int cells, int tracks, int links, string folder, double elapsedMs);

        [LoggerMessage(EventId = 4120, Level = LogLevel.Warning, Message = "The validation accuracy stayed at {Accuracy:F4} for all {Epochs} epochs: the network has not left the plateau it starts on; train longer or raise the patience")]
        public static partial void Plateau(ILogger logger, int epochs, double accuracy);

        [LoggerMessage(EventId = 4140, Level = LogLevel.Error, Message = "{Operation} failed")]
        public static partial void Failed(ILogger logger, Exception exception, string operation);
    }
}
