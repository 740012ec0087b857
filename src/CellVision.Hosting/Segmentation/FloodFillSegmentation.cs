using System.Diagnostics;
using CellVision.Core.Diagnostics;
using CellVision.Core.Volumes;
using CellVision.Segmentation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CellVision.Hosting;

/// <summary>
/// <see cref="IFloodFillSegmentation"/> over <see cref="CellVisionContext"/>'s segmentation catalog. Logs each run
/// (shape, network, seeds, objects, steps, milliseconds), warns when no seed became an object (thresholds that do not
/// match the training, or a network that does not fill), and logs failures as errors.
/// </summary>
public sealed partial class FloodFillSegmentation : IFloodFillSegmentation
{
    private readonly ILogger<FloodFillSegmentation> logger;
    private readonly CellVisionContext context;

    /// <summary>Creates the service.</summary>
    /// <param name="options">The inference settings.</param>
    /// <param name="logger">Receives the operations.</param>
    /// <param name="loggerFactory">Passed to the context the service works through.</param>
    public FloodFillSegmentation(IOptions<FloodFillInferenceOptions> options, ILogger<FloodFillSegmentation> logger, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        Options = options.Value.Validate();
        this.logger = logger;
        context = new CellVisionContext(loggerFactory: loggerFactory);
    }

    /// <inheritdoc />
    public FloodFillInferenceOptions Options { get; }

    /// <inheritdoc />
    public FloodFillResult Segment(Volume<byte> image, string modelPath, Volume<bool>? allowed = null, IProgress<FloodFillProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var network = FloodFillNetwork.Load(modelPath);
            var result = context.Segmentation.FloodFill(image, network, Options, allowed, progress, cancellationToken);
            if (result.Segments.Count == 0 && result.Attempts.Count > 0)
            {
                Log.NoObject(logger, result.Attempts.Count, Options.MoveThreshold, Options.SegmentThreshold);
            }

            Log.Segmented(logger, image.Depth, image.Height, image.Width, modelPath, result.Attempts.Count, result.Segments.Count, result.Steps, Describe.Milliseconds(start));
            return result;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.Failed(logger, exception, modelPath);
            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Flood-filled a {Depth}×{Height}×{Width} volume with {Model}: {Seeds} seed(s), {Objects} object(s), {Steps} network steps in {ElapsedMs:F0} ms")]
        public static partial void Segmented(ILogger logger, int depth, int height, int width, string model, int seeds, int objects, long steps, double elapsedMs);

        [LoggerMessage(EventId = 6120, Level = LogLevel.Warning, Message = "None of {Seeds} seed(s) became an object: check that the move threshold ({Move}) and segment threshold ({Segment}) match the training, and that the network fills")]
        public static partial void NoObject(ILogger logger, int seeds, double move, double segment);

        [LoggerMessage(EventId = 6140, Level = LogLevel.Error, Message = "Flood filling with {Model} failed")]
        public static partial void Failed(ILogger logger, Exception exception, string model);
    }
}
