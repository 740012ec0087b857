using System.Diagnostics;
using CellVision.Core.Annotations;
using CellVision.Core.Diagnostics;
using CellVision.Tracking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CellVision.Hosting;

/// <summary>
/// <see cref="ITrackLinker"/> over <see cref="NearestNeighborLinker"/>; uses an <see cref="ISpotMotionEstimator"/> when
/// the container has one. Logs each run (timepoints, spots, links added and removed, spots interpolated, spots left
/// without a parent, milliseconds) and warns when the graph is empty, when timepoints in the range hold no spot, and when
/// nothing could be linked although neighbouring timepoints hold spots (a distance threshold too small for the motion,
/// or positions in voxels rather than µm).
/// </summary>
public sealed partial class TrackLinker : ITrackLinker
{
    private readonly NearestNeighborLinker linker;
    private readonly ILogger<TrackLinker> logger;
    private readonly bool motionCorrected;

    /// <summary>Creates the linker.</summary>
    /// <param name="options">The linking settings.</param>
    /// <param name="logger">Receives the operations.</param>
    /// <param name="motionEstimator">Predicts where each spot was one timepoint earlier (e.g. optical flow); null links raw positions.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public TrackLinker(IOptions<NearestNeighborLinkingOptions> options, ILogger<TrackLinker> logger, ISpotMotionEstimator? motionEstimator = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        linker = new NearestNeighborLinker(options.Value, motionEstimator);
        this.logger = logger;
        motionCorrected = motionEstimator is not null;
    }

    /// <inheritdoc />
    public NearestNeighborLinkingOptions Options => linker.Options;

    /// <inheritdoc />
    public LinkingResult LinkAll(LineageGraph graph, IProgress<LinkingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var last = graph.Timepoints.DefaultIfEmpty(0).Max();
        return Run(graph, 1, last, progress, (g, p, c) => linker.LinkAll(g, p, c), cancellationToken);
    }

    /// <inheritdoc />
    public LinkingResult LinkTimepoints(LineageGraph graph, int first, int last, IProgress<LinkingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        return Run(graph, Math.Max(1, first), last, progress, (g, p, c) => linker.LinkTimepoints(g, first, last, null, p, c), cancellationToken);
    }

    private LinkingResult Run(LineageGraph graph, int first, int last, IProgress<LinkingProgress>? progress,
        Func<LineageGraph, IProgress<LinkingProgress>?, CancellationToken, LinkingResult> link, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        if (last < first)
        {
            // Only timepoint 0 (or nothing) is in range: spots at 0 have no earlier timepoint to find a parent in.
            if (graph.SpotCount == 0)
            {
                Log.EmptyGraph(logger);
            }

            Log.NothingInRange(logger, last);
            return default;
        }

        var spots = Enumerable.Range(first - 1, last - first + 2).Sum(t => graph.SpotsAt(t).Count);
        Log.Linking(logger, first, last, spots, Options.DistanceThreshold, Options.MaxEdges, Options.SearchDepth, motionCorrected);
        try
        {
            if (graph.SpotCount == 0)
            {
                Log.EmptyGraph(logger);
            }
            else
            {
                // Timepoints after the graph's last spot are no gap; empty ones inside the range are.
                var lastSpot = graph.Timepoints.Max();
                var gaps = Enumerable.Range(first, last - first + 1).Where(t => t <= lastSpot && graph.SpotsAt(t).Count == 0).ToList();
                if (gaps.Count > 0)
                {
                    Log.EmptyTimepoints(logger, gaps.Count, Describe.List(gaps), Options.SearchDepth);
                }
            }

            var result = link(graph, progress, cancellationToken);
            if (logger.IsEnabled(LogLevel.Information))
            {
                // Counting the spots without a parent walks the linked range, which only the message needs.
                var orphans = Enumerable.Range(first, last - first + 1).Sum(t => graph.SpotsAt(t).Count(s => s.Incoming.Count == 0));
                Log.Linked(logger, first, last, result.LinksAdded, result.LinksRemoved, result.SpotsInterpolated, orphans, Describe.Milliseconds(start));
            }

            var linkable = Enumerable.Range(first, last - first + 1).Any(t => graph.SpotsAt(t).Count > 0 && graph.SpotsAt(t - 1).Count > 0);
            if (result.LinksAdded == 0 && linkable)
            {
                Log.NothingLinked(logger, Options.DistanceThreshold);
            }

            return result;
        }
        catch (OperationCanceledException)
        {
            Log.Cancelled(logger);
            throw;
        }
        catch (Exception exception)
        {
            Log.Failed(logger, exception);
            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Linking timepoints {First}–{Last} ({Spots} spots): distance threshold {Threshold} µm, at most {MaxEdges} children, search depth {SearchDepth}, motion correction {MotionCorrected}")]
        public static partial void Linking(ILogger logger, int first, int last, int spots, double threshold, int maxEdges, int searchDepth, bool motionCorrected);

        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Linked timepoints {First}–{Last}: {Added} links added, {Removed} removed, {Interpolated} spots interpolated, {Orphans} spots without a parent, in {ElapsedMs:F0} ms")]
        public static partial void Linked(ILogger logger, int first, int last, int added, int removed, int interpolated, int orphans, double elapsedMs);

        [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "The graph holds no spot: nothing to link")]
        public static partial void EmptyGraph(ILogger logger);

        [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "{Count} timepoint(s) hold no spot ({Timepoints}); tracks break there unless the search depth ({SearchDepth}) bridges them")]
        public static partial void EmptyTimepoints(ILogger logger, int count, string timepoints, int searchDepth);

        [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "No link was made although neighbouring timepoints hold spots: is the distance threshold ({Threshold} µm) too small for the motion, or are the positions in voxels?")]
        public static partial void NothingLinked(ILogger logger, double threshold);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Nothing to link: the range ends at timepoint {Last}, and spots at timepoint 0 have no parents")]
        public static partial void NothingInRange(ILogger logger, int last);

        [LoggerMessage(EventId = 3020, Level = LogLevel.Error, Message = "Linking failed")]
        public static partial void Failed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "Linking was cancelled; the timepoints done stay linked")]
        public static partial void Cancelled(ILogger logger);
    }
}
