using CellVision.Core.Annotations;
using CellVision.Core.Volumes;
using CellVision.IO.Lineage;
using CellVision.IO.TrackMate;

namespace CellVision.Cli.Commands;

/// <summary>Spots and links in the files the commands take and give: lineage CSV (spots, with links beside) or TrackMate XML.</summary>
internal static class LineageFiles
{
    /// <summary>Reads spots (and links) from a <c>.csv</c> (links from <paramref name="linksPath"/>) or a TrackMate <c>.xml</c>.</summary>
    internal static LineageGraph Read(string path, string? linksPath = null)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist.", path);
        }

        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => LineageCsv.Read(path, linksPath),
            ".xml" => TrackMateLineage.FromModel(TrackMateXml.Read(path)),
            _ => throw new ArgumentException($"'{path}': spots are read from .csv (lineage table) or .xml (TrackMate) files."),
        };
    }

    /// <summary>Writes spots and links: <c>.csv</c> gives the spot table and a <c>-links.csv</c> beside it, <c>.xml</c> a TrackMate file.</summary>
    internal static IReadOnlyList<string> Write(LineageGraph graph, string path, Volume<ushort>? image, int timepoints, string imageName)
    {
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".csv":
                var links = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path) + "-links.csv");
                LineageCsv.Write(graph, path, links);
                return [path, links];
            case ".xml":
                var size = image?.VoxelSize ?? Core.Geometry.VoxelSize.Unit;
                var imageData = new TrackMateImageData(imageName, "", image?.Width ?? 1, image?.Height ?? 1, image?.Depth ?? 1, timepoints, size.X, size.Y, size.Z);
                TrackMateXml.Write(path, TrackMateLineage.ToModel(graph, imageData));
                return [path];
            default:
                throw new ArgumentException($"'{path}': spots are written to .csv (lineage table) or .xml (TrackMate) files.");
        }
    }
}
