using System.Diagnostics;
using CellVision.Core.Geometry;

namespace CellVision.Tracking;

/// <summary>
/// Turns the GNN edge classifier's probabilities into tracks: by default a global assignment solved exactly (at most
/// one parent and two children per cell), or the reference post-processing of cell-tracker-gnn for comparisons.
/// </summary>
public static class GnnTrackDecoder
{
    /// <summary>Decodes tracks from edge probabilities.</summary>
    /// <param name="scores">The cells, candidate edges and edge probabilities.</param>
    /// <param name="voxelSize">The voxel size, which places nodes without a physical position.</param>
    /// <param name="options">The decoder and its settings; null for the defaults.</param>
    /// <param name="progress">Receives each solved part of the assignment and the track building.</param>
    /// <param name="cancellationToken">Stops the solver.</param>
    /// <returns>The lineage graph, the track table and each node's track label.</returns>
    /// <exception cref="ArgumentException">The reference decoder got nodes out of frame order, a frame without cells, or an edge that skips a frame.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting or the voxel size is out of range.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static DecodedTracks Decode(
        EdgeScores scores,
        VoxelSize voxelSize,
        GnnDecodingOptions? options = null,
        IProgress<GnnDecodingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scores);
        voxelSize.Validate();
        options ??= new GnnDecodingOptions();
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();

        var clock = Stopwatch.StartNew();
        Action<GnnDecodingProgress>? report = progress is null ? null : progress.Report;
        RawTracks raw;
        AssignmentSummary? summary = null;
        if (options.Decoder == GnnDecoder.Reference)
        {
            raw = ReferenceDecoder.Decode(scores, cancellationToken);
        }
        else
        {
            (var links, summary) = GlobalAssignment.Solve(scores, voxelSize, options.Global, report, clock, cancellationToken);
            if (options.Global.DivisionsFromEndedTracks)
            {
                links = EndedTrackDivisions.Add(scores, voxelSize, links);
            }

            if (options.Global.DivisionsFromAppearingCells)
            {
                links = EndedTrackDivisions.AdoptAppearingDaughters(scores, voxelSize, links);
            }

            raw = TrackForest.Build(scores.Nodes, links);
        }

        report?.Invoke(new GnnDecodingProgress("tracks", 0, 1, clock.Elapsed));
        var (tracks, nodeLabels) = TrackRelabeling.Relabel(raw);
        var (graph, spots) = GnnLineage.Build(scores, voxelSize, raw.Links);
        report?.Invoke(new GnnDecodingProgress("tracks", 1, 1, clock.Elapsed));
        return new DecodedTracks(options.Decoder, scores.Nodes, graph, spots, tracks, nodeLabels, raw.Links, summary);
    }
}
