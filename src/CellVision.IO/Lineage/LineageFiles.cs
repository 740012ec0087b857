using CellVision.Core.Annotations;
using CellVision.Core.Volumes;
using CellVision.IO.TrackMate;

namespace CellVision.IO.Lineage;

/// <summary>
/// Spots and links in the files people exchange, chosen by extension: a lineage CSV table (<c>.csv</c>, links in a
/// <c>-links.csv</c> beside it) or TrackMate XML (<c>.xml</c>, which Fiji's TrackMate and Mastodon open).
/// </summary>
public static class LineageFiles
{
    /// <summary>Reads spots and links from a <c>.csv</c> (links from <paramref name="linksPath"/>, or none) or a TrackMate <c>.xml</c>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="linksPath">For a <c>.csv</c>: the link table; null for spots only.</param>
    /// <returns>The lineage.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The extension is neither <c>.csv</c> nor <c>.xml</c>.</exception>
    public static LineageGraph Read(string path, string? linksPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist.", path);
        }

        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => LineageCsv.Read(path, linksPath),
            ".xml" => TrackMateLineage.FromModel(TrackMateXml.Read(path)),
            _ => throw new ArgumentException($"'{path}': spots are read from .csv (lineage table) or .xml (TrackMate) files.", nameof(path)),
        };
    }

    /// <summary>
    /// Writes spots and links: <c>.csv</c> gives the spot table and a <c>-links.csv</c> beside it, <c>.xml</c> a TrackMate
    /// file bound to the movie.
    /// </summary>
    /// <param name="graph">The lineage.</param>
    /// <param name="path">The file to write; replaced if it exists.</param>
    /// <param name="frame">A frame of the movie (shape and voxel size for TrackMate), or null.</param>
    /// <param name="timepoints">The movie's timepoints.</param>
    /// <param name="imagePath">The movie's file, named in the TrackMate file; empty when there is none.</param>
    /// <returns>The files written.</returns>
    /// <exception cref="ArgumentException">The extension is neither <c>.csv</c> nor <c>.xml</c>.</exception>
    public static IReadOnlyList<string> Write(LineageGraph graph, string path, Volume<ushort>? frame = null, int timepoints = 1, string imagePath = "")
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrEmpty(path);
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".csv":
                var links = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path) + "-links.csv");
                LineageCsv.Write(graph, path, links);
                return [path, links];
            case ".xml":
                var imageData = frame is null
                    ? new TrackMateImageData(Path.GetFileName(imagePath), "", 1, 1, 1, timepoints, 1, 1, 1)
                    : TrackMateImageData.Of(frame, timepoints, imagePath);
                TrackMateXml.Write(path, TrackMateLineage.ToModel(graph, imageData));
                return [path];
            default:
                throw new ArgumentException($"'{path}': spots are written to .csv (lineage table) or .xml (TrackMate) files.", nameof(path));
        }
    }
}
