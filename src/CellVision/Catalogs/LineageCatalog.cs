using CellVision.Core.Annotations;
using CellVision.Evaluation;
using CellVision.IO.Ctc;
using CellVision.IO.Lineage;
using CellVision.IO.Movies;

namespace CellVision;

/// <summary>Lineages in and out — TrackMate XML, lineage CSV, Cell Tracking Challenge folders — and their CTC scores.</summary>
public sealed class LineageCatalog
{
    internal LineageCatalog(CellVisionContext context) => ArgumentNullException.ThrowIfNull(context);

    /// <summary>Reads spots and links from a lineage CSV (<c>.csv</c>; links from <paramref name="linksPath"/>) or TrackMate XML (<c>.xml</c>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="linksPath">For a <c>.csv</c>: the link table, or null for spots only.</param>
    /// <returns>The lineage.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public LineageGraph Load(string path, string? linksPath = null) => LineageFiles.Read(path, linksPath);

    /// <summary>
    /// Writes spots and links: <c>.xml</c> gives a TrackMate file bound to <paramref name="movie"/> (Fiji's TrackMate and
    /// Mastodon open it), <c>.csv</c> a spot table with a <c>-links.csv</c> beside it.
    /// </summary>
    /// <param name="graph">The lineage.</param>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <param name="movie">The movie the spots belong to (shape, voxel size and file for TrackMate), or null.</param>
    /// <returns>The files written.</returns>
    public IReadOnlyList<string> Save(LineageGraph graph, string path, Movie? movie = null) =>
        LineageFiles.Write(graph, path, movie is { Count: > 0 } ? movie[0] : null, movie?.Count ?? (graph.Timepoints.DefaultIfEmpty(0).Max() + 1), movie?.Source ?? "");

    /// <summary>Writes a lineage as a Cell Tracking Challenge result or ground-truth folder (label TIFFs and the track file).</summary>
    /// <param name="graph">The lineage; each spot is painted as its ellipsoid.</param>
    /// <param name="folder">The folder (e.g. <c>01_RES</c>).</param>
    /// <param name="movie">The movie: its shape, voxel size and length.</param>
    /// <param name="kind">A result folder (<c>mask000.tif</c>, <c>res_track.txt</c>) or ground truth (<c>man_track</c>).</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>The tracks written and the label of each spot.</returns>
    public CtcExportResult SaveCtc(LineageGraph graph, string folder, Movie movie, CtcFolderKind kind = CtcFolderKind.Result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(movie);
        if (movie.Count == 0)
        {
            throw new ArgumentException("The movie has no frame.", nameof(movie));
        }

        var frame = movie[0];
        var export = new CtcExportOptions { VoxelSize = frame.VoxelSize, Shape = (frame.Depth, frame.Height, frame.Width), LastFrame = movie.Count - 1, Kind = kind };
        return CtcExporter.Export(graph, folder, export, cancellationToken: cancellationToken);
    }

    /// <summary>Reads a Cell Tracking Challenge folder (label TIFFs and track file) as a lineage of spots at the labels' centroids.</summary>
    /// <param name="folder">The folder (e.g. <c>01_GT/TRA</c> or <c>01_RES</c>).</param>
    /// <param name="options">Voxel size and file naming; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the import.</param>
    /// <returns>The lineage.</returns>
    public LineageGraph LoadCtc(string folder, CtcImportOptions? options = null, CancellationToken cancellationToken = default) =>
        CtcImporter.Import(folder, options, cancellationToken: cancellationToken);

    /// <summary>Scores a result folder against ground truth exactly as the Cell Tracking Challenge does (DET, TRA, SEG, LNK).</summary>
    /// <param name="groundTruthFolder">The <c>NN_GT</c> folder (holding <c>TRA</c>, and <c>SEG</c> for the SEG measure).</param>
    /// <param name="resultFolder">The <c>NN_RES</c> folder.</param>
    /// <param name="options">Which measures and the AOGM weights; null for all with the CTC's weights.</param>
    /// <param name="cancellationToken">Cancels the scoring.</param>
    /// <returns>The scores and the error report.</returns>
    public CtcEvaluation Score(string groundTruthFolder, string resultFolder, CtcEvaluationOptions? options = null, CancellationToken cancellationToken = default) =>
        CtcEvaluator.Evaluate(groundTruthFolder, resultFolder, options, cancellationToken: cancellationToken);
}
