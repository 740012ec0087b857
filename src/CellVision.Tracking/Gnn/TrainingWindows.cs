using CellVision.Core.Annotations;

namespace CellVision.Tracking;

/// <summary>
/// The GNN tracker's training graphs of one sequence: windows of consecutive frames (the reference's
/// <c>num_frames: 10</c>, <c>overlap: 1</c>), each a <see cref="CandidateGraph"/> with training labels and its own
/// min-max scaling, all gated with the ROI (or radius) of the whole sequence.
/// </summary>
public static class TrainingWindows
{
    /// <summary>The reference's window length, in frames.</summary>
    public const int DefaultLength = 10;

    /// <summary>
    /// Cuts a sequence into windows and builds their graphs: windows start at frame positions 0, stride, 2·stride, …
    /// while a whole window fits, so a sequence of F frames gives F − 9 windows of 10 and a sequence shorter than a
    /// window gives none (as the reference). Windows count frame positions, not frame numbers, so a frame without
    /// cells still takes its place; a window without any cell is skipped.
    /// </summary>
    /// <param name="frames">The cells of each frame of the sequence, in time order (a list may be empty); measure
    /// them with <see cref="CellFeatureExtractor.ExtractWithTrackIds{TRaw, TLabel, TMarker}"/>.</param>
    /// <param name="options">Graph settings; <see cref="CandidateGraphOptions.TrainingLabels"/> is turned on, and an
    /// unset <see cref="CandidateGraphOptions.Roi"/> or <see cref="CandidateGraphOptions.Radius"/> is taken from the
    /// whole sequence, as the reference's <c>bb_roi</c> over all of a sequence's CSV files.</param>
    /// <param name="length">Frames per window (10).</param>
    /// <param name="stride">Frames between window starts (1).</param>
    /// <returns>The graphs, in window order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="frames"/> or one of its lists is null.</exception>
    /// <exception cref="ArgumentException">A list mixes frame numbers, frame numbers do not increase from list to list, or a cell has no track id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> or <paramref name="stride"/> is below 1.</exception>
    public static IReadOnlyList<CandidateGraph> Create(
        IReadOnlyList<IReadOnlyList<CellFeatures>> frames, CandidateGraphOptions? options = null, int length = DefaultLength, int stride = 1)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        options ??= new CandidateGraphOptions();
        options.Validate();
        CheckFrameOrder(frames);

        var statistics = CellSequenceStatistics.Of(frames.SelectMany(frame => frame));
        options = options with
        {
            TrainingLabels = true,
            Roi = options.Roi ?? statistics.Roi(options.RoiMultiplier),
            Radius = options.Radius ?? CandidateGraphBuilder.DefaultRadius(statistics, options.VoxelSize, options.RoiMultiplier),
        };

        var graphs = new List<CandidateGraph>();
        for (var start = 0; start + length <= frames.Count; start += stride)
        {
            var cells = new List<CellFeatures>();
            for (var k = start; k < start + length; k++)
            {
                cells.AddRange(frames[k]);
            }

            if (cells.Count > 0)
            {
                graphs.Add(CandidateGraphBuilder.Build(cells, options));
            }
        }

        return graphs;
    }

    /// <summary>
    /// Cuts a lineage of spots (data without images) into windows of consecutive timepoints and builds their graphs
    /// with <see cref="NodeFeatureSet.Geometry"/> features (<see cref="CandidateGraphBuilder.BuildFromSpots(LineageGraph, CandidateGraphOptions?)"/>):
    /// the training labels come from the lineage's tracklets over the whole lineage, and an unset ROI or radius from
    /// the largest spot of the whole lineage.
    /// </summary>
    /// <param name="lineage">The spots, in physical units, with their true links.</param>
    /// <param name="options">Graph settings; <see cref="CandidateGraphOptions.TrainingLabels"/> is turned on.</param>
    /// <param name="length">Timepoints per window (10).</param>
    /// <param name="stride">Timepoints between window starts (1).</param>
    /// <returns>The graphs, in window order; none when the lineage spans fewer timepoints than a window.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> or <paramref name="stride"/> is below 1.</exception>
    /// <exception cref="ArgumentException">A spot has a negative timepoint or id.</exception>
    public static IReadOnlyList<CandidateGraph> CreateFromSpots(LineageGraph lineage, CandidateGraphOptions? options = null, int length = DefaultLength, int stride = 1)
    {
        ArgumentNullException.ThrowIfNull(lineage);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        options ??= new CandidateGraphOptions();
        options.Validate();
        var extent = CandidateGraphBuilder.SpotExtent(lineage.Spots);
        var m = options.RoiMultiplier;
        options = options with
        {
            TrainingLabels = true,
            Roi = options.Roi ?? (m * extent.Z, m * extent.Y, m * extent.X),
            Radius = options.Radius ?? m * Math.Max(extent.Z, Math.Max(extent.Y, extent.X)),
        };

        var trackIds = CandidateGraphBuilder.TrackletIds(lineage);
        var timepoints = lineage.Timepoints.Order().ToArray();
        var graphs = new List<CandidateGraph>();
        for (var start = 0; start + length <= timepoints.Length; start += stride)
        {
            var spots = timepoints.AsSpan(start, length).ToArray().SelectMany(lineage.SpotsAt);
            graphs.Add(CandidateGraphBuilder.BuildFromSpots(spots, trackIds, options));
        }

        return graphs;
    }

    private static void CheckFrameOrder(IReadOnlyList<IReadOnlyList<CellFeatures>> frames)
    {
        var previous = int.MinValue;
        for (var k = 0; k < frames.Count; k++)
        {
            var frame = frames[k] ?? throw new ArgumentNullException(nameof(frames), $"The cell list of frame position {k} is null.");
            if (frame.Count == 0)
            {
                continue;
            }

            var number = frame[0]?.Frame ?? 0;
            foreach (var cell in frame)
            {
                if (cell is null)
                {
                    throw new ArgumentNullException(nameof(frames), $"Frame position {k} holds a null cell.");
                }

                if (cell.Frame != number)
                {
                    throw new ArgumentException($"Frame position {k} mixes frame numbers {number} and {cell.Frame}.", nameof(frames));
                }
            }

            if (number <= previous)
            {
                throw new ArgumentException($"Frame position {k} holds frame {number}, not after frame {previous} of an earlier position; give the frames in time order.", nameof(frames));
            }

            previous = number;
        }
    }
}
