using System.Diagnostics;
using CellVision.Core.Annotations;
using CellVision.Core.Diagnostics;
using CellVision.IO.Ctc;
using CellVision.Evaluation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CellVision.Hosting;

/// <summary>
/// <see cref="ICtcService"/> over <see cref="CtcExporter"/> and <see cref="CtcEvaluator"/>. Logs each export (folder,
/// kind, tracks, spots, frames, milliseconds) and evaluation (every measure, the AOGM error counts, milliseconds); warns
/// about empty graphs, spots outside the frame, spots lost under others in the masks (the folder is then inconsistent
/// for the CTC tools), exports that keep no lineage, and results that match nothing or miss most reference objects; logs
/// failures as errors.
/// </summary>
public sealed partial class CtcService : ICtcService
{
    private readonly ILogger<CtcService> logger;

    /// <summary>Creates the service.</summary>
    /// <param name="evaluationOptions">Which measures are computed and with which weights.</param>
    /// <param name="logger">Receives the operations.</param>
    public CtcService(IOptions<CtcEvaluationOptions> evaluationOptions, ILogger<CtcService> logger)
    {
        ArgumentNullException.ThrowIfNull(evaluationOptions);
        ArgumentNullException.ThrowIfNull(logger);
        EvaluationOptions = evaluationOptions.Value;
        this.logger = logger;
    }

    /// <inheritdoc />
    public CtcEvaluationOptions EvaluationOptions { get; }

    /// <inheritdoc />
    public CtcExportResult Export(LineageGraph graph, string folder, CtcExportOptions options, IProgress<CtcProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(options);
        var start = Stopwatch.GetTimestamp();
        var (depth, height, width) = options.Shape;
        Log.Exporting(logger, folder, options.Kind, graph.SpotCount, graph.LinkCount, Describe.Shape(depth, height, width), Describe.Size(options.VoxelSize));
        try
        {
            if (graph.SpotCount == 0)
            {
                Log.EmptyGraph(logger, folder);
            }

            var size = options.VoxelSize;
            var outside = graph.Spots.Count(s => s.X < 0 || s.Y < 0 || s.Z < 0 || s.X >= width * size.X || s.Y >= height * size.Y || s.Z >= depth * size.Z);
            if (outside > 0)
            {
                Log.SpotsOutside(logger, outside, graph.SpotCount, Describe.Shape(depth, height, width), Describe.Size(size));
            }

            var result = CtcExporter.Export(graph, folder, options, progress, cancellationToken);
            Log.Exported(logger, folder, options.Kind, result.Tracks.Count, result.Labels.Count, result.LastFrame - result.FirstFrame + 1, Describe.Milliseconds(start));
            if (result.LostSpots.Count > 0)
            {
                Log.LostSpots(logger, result.LostSpots.Count, Describe.List(result.LostSpots.Select(s => s.Id)));
            }

            if (options.OnlyCompletedLineages && graph.SpotCount > 0 && result.Labels.Count == 0)
            {
                Log.NoCompletedLineage(logger);
            }

            return result;
        }
        catch (OperationCanceledException)
        {
            Log.ExportCancelled(logger, folder);
            throw;
        }
        catch (Exception exception)
        {
            Log.ExportFailed(logger, exception, folder);
            throw;
        }
    }

    /// <inheritdoc />
    public CtcEvaluation Evaluate(string groundTruthFolder, string resultFolder, IProgress<CtcProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(groundTruthFolder);
        ArgumentException.ThrowIfNullOrEmpty(resultFolder);
        var start = Stopwatch.GetTimestamp();
        Log.Evaluating(logger, resultFolder, groundTruthFolder, EvaluationOptions.Tracking, EvaluationOptions.Detection, EvaluationOptions.Segmentation);
        try
        {
            var evaluation = CtcEvaluator.Evaluate(groundTruthFolder, resultFolder, EvaluationOptions, progress, cancellationToken);
            var scores = evaluation.Scores;
            var counts = scores.Counts;
            Log.Evaluated(logger, resultFolder, Format(scores.Tra), Format(scores.Det), Format(scores.Seg), Format(scores.Lnk), scores.Frames, scores.ReferenceVertices,
                scores.ResultVertices, counts.FalseNegatives, counts.FalsePositives, counts.Splits, counts.MissingEdges, counts.RedundantEdges, counts.WrongTypeEdges,
                Describe.Milliseconds(start));
            if (scores.ReferenceVertices > 0 && scores.ResultVertices == 0)
            {
                Log.EmptyResult(logger, resultFolder);
            }
            else if (2 * counts.FalseNegatives > scores.ReferenceVertices)
            {
                Log.MostMissed(logger, counts.FalseNegatives, scores.ReferenceVertices);
            }

            return evaluation;
        }
        catch (OperationCanceledException)
        {
            Log.EvaluationCancelled(logger, resultFolder);
            throw;
        }
        catch (Exception exception)
        {
            Log.EvaluationFailed(logger, exception, resultFolder, groundTruthFolder);
            throw;
        }
    }

    private static string Format(double? value) => value is { } v ? v.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "n/a";

    private static partial class Log
    {
        [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Exporting {Spots} spots and {Links} links as CTC {Kind} to {Folder}: frames of {Shape} voxels, voxel size {VoxelSize}")]
        public static partial void Exporting(ILogger logger, string folder, CtcFolderKind kind, int spots, int links, string shape, string voxelSize);

        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Exported CTC {Kind} to {Folder}: {Tracks} tracks, {Spots} spots, {Frames} frames, in {ElapsedMs:F0} ms")]
        public static partial void Exported(ILogger logger, string folder, CtcFolderKind kind, int tracks, int spots, int frames, double elapsedMs);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Evaluating {Result} against {GroundTruth} (tracking {Tracking}, detection {Detection}, segmentation {Segmentation})")]
        public static partial void Evaluating(ILogger logger, string result, string groundTruth, bool tracking, bool detection, bool segmentation);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Evaluated {Result}: TRA {Tra}, DET {Det}, SEG {Seg}, LNK {Lnk} over {Frames} frames, {ReferenceVertices} reference and {ResultVertices} result objects; FN {FalseNegatives}, FP {FalsePositives}, NS {Splits}, EA {MissingEdges}, ED {RedundantEdges}, EC {WrongTypeEdges}; in {ElapsedMs:F0} ms")]
        public static partial void Evaluated(ILogger logger, string result, string tra, string det, string seg, string lnk, int frames, int referenceVertices, int resultVertices,
            int falseNegatives, int falsePositives, int splits, int missingEdges, int redundantEdges, int wrongTypeEdges, double elapsedMs);

        [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "The graph exported to {Folder} holds no spot: every mask is blank")]
        public static partial void EmptyGraph(ILogger logger, string folder);

        [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "{Outside} of {Spots} spots have their centre outside the {Shape} frame of voxel size {VoxelSize}; are the positions in µm for this frame?")]
        public static partial void SpotsOutside(ILogger logger, int outside, int spots, string shape, string voxelSize);

        [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "{Count} spot(s) were covered by others in the masks and lost their label (spot ids {Spots}); the CTC tools will reject the folder")]
        public static partial void LostSpots(ILogger logger, int count, string spots);

        [LoggerMessage(EventId = 5013, Level = LogLevel.Warning, Message = "Only completed lineages were asked for, but no root spot is tagged Status → Completed: nothing was exported")]
        public static partial void NoCompletedLineage(ILogger logger);

        [LoggerMessage(EventId = 5014, Level = LogLevel.Warning, Message = "The result {Result} matches no reference object: is it the right folder, or empty?")]
        public static partial void EmptyResult(ILogger logger, string result);

        [LoggerMessage(EventId = 5015, Level = LogLevel.Warning, Message = "The result misses {FalseNegatives} of {ReferenceVertices} reference objects")]
        public static partial void MostMissed(ILogger logger, int falseNegatives, int referenceVertices);

        [LoggerMessage(EventId = 5020, Level = LogLevel.Error, Message = "Exporting CTC to {Folder} failed")]
        public static partial void ExportFailed(ILogger logger, Exception exception, string folder);

        [LoggerMessage(EventId = 5021, Level = LogLevel.Error, Message = "Evaluating {Result} against {GroundTruth} failed")]
        public static partial void EvaluationFailed(ILogger logger, Exception exception, string result, string groundTruth);

        [LoggerMessage(EventId = 5022, Level = LogLevel.Information, Message = "Exporting CTC to {Folder} was cancelled")]
        public static partial void ExportCancelled(ILogger logger, string folder);

        [LoggerMessage(EventId = 5023, Level = LogLevel.Information, Message = "Evaluating {Result} was cancelled")]
        public static partial void EvaluationCancelled(ILogger logger, string result);
    }
}
