using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace CellVision.IO.TrackMate;

/// <summary>Thrown when a TrackMate XML file is malformed or lacks required elements; names the file and element.</summary>
public class TrackMateFormatException : IOException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public TrackMateFormatException() : base("The TrackMate file is invalid.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was wrong.</param>
    public TrackMateFormatException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public TrackMateFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>
/// Reads and writes TrackMate XML (version 7 layout) with what TrackMate and Mastodon's importer require: feature
/// declarations, VISIBILITY on every spot, FilteredTracks listing every track, and Settings/ImageData.
/// </summary>
public static class TrackMateXml
{
    /// <summary>Spot feature keys used for the 6 unique entries of a 3×3 covariance matrix (physical units²).</summary>
    public static IReadOnlyList<string> CovarianceFeatures { get; } = ["COVARIANCE_XX", "COVARIANCE_XY", "COVARIANCE_XZ", "COVARIANCE_YY", "COVARIANCE_YZ", "COVARIANCE_ZZ"];

    private static readonly string[] StandardSpotAttributes = ["ID", "name", "QUALITY", "POSITION_X", "POSITION_Y", "POSITION_Z", "POSITION_T", "FRAME", "RADIUS", "VISIBILITY"];

    /// <summary>Writes <paramref name="model"/> (atomically: temporary name, then rename).</summary>
    /// <param name="path">The XML file.</param>
    /// <param name="model">The model.</param>
    public static void Write(string path, TrackMateModel model)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        var extraFeatures = model.Spots.SelectMany(s => s.Features?.Keys ?? []).Distinct().Order(StringComparer.Ordinal).ToList();
        XElement Feature(string key, string name, string shortName, string dimension, bool isInt) =>
            new("Feature", new XAttribute("feature", key), new XAttribute("name", name), new XAttribute("shortname", shortName), new XAttribute("dimension", dimension), new XAttribute("isint", isInt ? "true" : "false"));

        var spotFeatures = new XElement("SpotFeatures",
            Feature("QUALITY", "Quality", "Quality", "QUALITY", false),
            Feature("POSITION_X", "X", "X", "POSITION", false),
            Feature("POSITION_Y", "Y", "Y", "POSITION", false),
            Feature("POSITION_Z", "Z", "Z", "POSITION", false),
            Feature("POSITION_T", "T", "T", "TIME", false),
            Feature("FRAME", "Frame", "Frame", "NONE", true),
            Feature("RADIUS", "Radius", "R", "LENGTH", false),
            Feature("VISIBILITY", "Visibility", "Visibility", "NONE", true),
            extraFeatures.Select(f => Feature(f, f, f, "NONE", false)));

        var frames = model.Spots.GroupBy(s => s.Frame).OrderBy(g => g.Key).Select(g => new XElement("SpotsInFrame", new XAttribute("frame", g.Key),
            g.OrderBy(s => s.Id).Select(s => new XElement("Spot",
                new XAttribute("ID", s.Id),
                new XAttribute("name", s.Name ?? $"ID{s.Id}"),
                new XAttribute("QUALITY", Number(s.Quality)),
                new XAttribute("POSITION_X", Number(s.X)),
                new XAttribute("POSITION_Y", Number(s.Y)),
                new XAttribute("POSITION_Z", Number(s.Z)),
                new XAttribute("POSITION_T", Number(s.Time ?? s.Frame)),
                new XAttribute("FRAME", s.Frame),
                new XAttribute("RADIUS", Number(s.Radius)),
                new XAttribute("VISIBILITY", s.Visible ? 1 : 0),
                (s.Features ?? new Dictionary<string, double>()).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new XAttribute(f.Key, Number(f.Value)))))));

        var image = model.ImageData;
        var document = new XDocument(new XDeclaration("1.0", "UTF-8", null), new XElement("TrackMate", new XAttribute("version", "7.0.0"),
            new XElement("Model", new XAttribute("spatialunits", model.SpatialUnits), new XAttribute("timeunits", model.TimeUnits),
                new XElement("FeatureDeclarations", spotFeatures,
                    new XElement("EdgeFeatures",
                        Feature("SPOT_SOURCE_ID", "Source spot ID", "Source ID", "NONE", true),
                        Feature("SPOT_TARGET_ID", "Target spot ID", "Target ID", "NONE", true),
                        Feature("LINK_COST", "Edge cost", "Cost", "COST", false)),
                    new XElement("TrackFeatures", Feature("TRACK_ID", "Track ID", "ID", "NONE", true))),
                new XElement("AllSpots", new XAttribute("nspots", model.Spots.Count), frames),
                new XElement("AllTracks", model.Tracks.Select(t => new XElement("Track", new XAttribute("name", t.Name), new XAttribute("TRACK_ID", t.Id),
                    t.Edges.Select(e => new XElement("Edge", new XAttribute("SPOT_SOURCE_ID", e.Source), new XAttribute("SPOT_TARGET_ID", e.Target), new XAttribute("LINK_COST", Number(e.Cost))))))),
                new XElement("FilteredTracks", model.Tracks.Select(t => new XElement("TrackID", new XAttribute("TRACK_ID", t.Id))))),
            new XElement("Settings", new XElement("ImageData",
                new XAttribute("filename", image.FileName), new XAttribute("folder", image.Folder),
                new XAttribute("width", image.Width), new XAttribute("height", image.Height),
                new XAttribute("nslices", image.Slices), new XAttribute("nframes", image.Frames),
                new XAttribute("pixelwidth", Number(image.PixelWidth)), new XAttribute("pixelheight", Number(image.PixelHeight)),
                new XAttribute("voxeldepth", Number(image.VoxelDepth)), new XAttribute("timeinterval", Number(image.TimeInterval))))));

        var full = Path.GetFullPath(path);
        var temporary = $"{full}.{Guid.NewGuid():N}.partial";
        try
        {
            document.Save(temporary);
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Reads a TrackMate (or MaMuT) XML file. DTDs and external entities are refused.</summary>
    /// <param name="path">The XML file.</param>
    /// <exception cref="TrackMateFormatException">The file is malformed or lacks Model, AllSpots or required attributes.</exception>
    public static TrackMateModel Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException exception)
        {
            throw new TrackMateFormatException($"{path}: cannot be parsed safely: {exception.Message} (DTDs and external entities are refused).", exception);
        }

        var model = document.Root?.Element("Model") ?? throw new TrackMateFormatException($"{path}: <Model> is missing.");
        var allSpots = model.Element("AllSpots") ?? throw new TrackMateFormatException($"{path}: <AllSpots> is missing.");
        var spots = allSpots.Elements("SpotsInFrame").SelectMany(f => f.Elements("Spot")).Select(s =>
        {
            var features = s.Attributes().Where(a => !StandardSpotAttributes.Contains(a.Name.LocalName) && a.Name.LocalName != "ROI_N_POINTS")
                .ToDictionary(a => a.Name.LocalName, a => Double(a.Value, path, $"Spot {a.Name.LocalName}"));
            return new TrackMateSpot(
                (int)Required(s, "ID", path),
                (int)Required(s, "FRAME", path),
                Required(s, "POSITION_X", path),
                Required(s, "POSITION_Y", path),
                Required(s, "POSITION_Z", path),
                Optional(s, "RADIUS", path) ?? 0,
                Optional(s, "QUALITY", path) ?? 0,
                Optional(s, "POSITION_T", path),
                (string?)s.Attribute("name"),
                (Optional(s, "VISIBILITY", path) ?? 1) != 0,
                features.Count > 0 ? features : null);
        }).ToList();
        var tracks = (model.Element("AllTracks")?.Elements("Track") ?? []).Select(t => new TrackMateTrack(
            (int)Required(t, "TRACK_ID", path),
            (string?)t.Attribute("name") ?? string.Empty,
            t.Elements("Edge").Select(e => new TrackMateEdge((int)Required(e, "SPOT_SOURCE_ID", path), (int)Required(e, "SPOT_TARGET_ID", path), Optional(e, "LINK_COST", path) ?? 0)).ToList())).ToList();
        var imageData = document.Root!.Element("Settings")?.Element("ImageData");
        return new TrackMateModel
        {
            SpatialUnits = (string?)model.Attribute("spatialunits") ?? "pixel",
            TimeUnits = (string?)model.Attribute("timeunits") ?? "frame",
            Spots = spots,
            Tracks = tracks,
            ImageData = imageData is null
                ? new TrackMateImageData(string.Empty, string.Empty, 0, 0, 0, 0, 1, 1, 1)
                : new TrackMateImageData(
                    (string?)imageData.Attribute("filename") ?? string.Empty, (string?)imageData.Attribute("folder") ?? string.Empty,
                    (int)(Optional(imageData, "width", path) ?? 0), (int)(Optional(imageData, "height", path) ?? 0),
                    (int)(Optional(imageData, "nslices", path) ?? 0), (int)(Optional(imageData, "nframes", path) ?? 0),
                    Optional(imageData, "pixelwidth", path) ?? 1, Optional(imageData, "pixelheight", path) ?? 1,
                    Optional(imageData, "voxeldepth", path) ?? 1, Optional(imageData, "timeinterval", path) ?? 1),
        };
    }

    private static double Required(XElement element, string name, string path) =>
        Optional(element, name, path) ?? throw new TrackMateFormatException($"{path}: <{element.Name.LocalName}> lacks the required attribute {name}.");

    private static double? Optional(XElement element, string name, string path) =>
        element.Attribute(name) is { } attribute ? Double(attribute.Value, path, $"{element.Name.LocalName} {name}") : null;

    private static double Double(string text, string path, string what) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw new TrackMateFormatException($"{path}: {what} is '{text}', not a number.");

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
