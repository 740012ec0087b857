using System.Globalization;
using System.Text;
using CellVision.Core.Annotations;

namespace CellVision.IO.Lineage;

/// <summary>
/// Spots and links of a <see cref="LineageGraph"/> as two CSV tables that spreadsheets, pandas and R read directly.
/// Spots: <c>id,timepoint,x,y,z,cxx,cxy,cxz,cyy,cyz,czz,detection_tag,tracking_tag,quality</c> (physical units; the
/// covariance columns may be replaced by one <c>radius</c> column when reading). Links: <c>source,target,tracking_tag</c>
/// with spot ids. Tags are written in ELEPHANT's short form (tp, fp, tn, fn, tb, fb, unlabeled; approved, unlabeled).
/// </summary>
public static class LineageCsv
{
    private static readonly string[] SpotColumns = ["id", "timepoint", "x", "y", "z", "cxx", "cxy", "cxz", "cyy", "cyz", "czz", "detection_tag", "tracking_tag", "quality"];

    /// <summary>Writes the spots (and, when <paramref name="linksPath"/> is given, the links) of a graph.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="spotsPath">The spot table to write.</param>
    /// <param name="linksPath">The link table to write, or null for none.</param>
    public static void Write(LineageGraph graph, string spotsPath, string? linksPath = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var spots = new StringBuilder().AppendLine(string.Join(',', SpotColumns));
        foreach (var spot in graph.Spots.OrderBy(s => s.Timepoint).ThenBy(s => s.Id))
        {
            var c = spot.Covariance;
            spots.AppendLine(string.Join(',',
                Number(spot.Id), Number(spot.Timepoint), Number(spot.X), Number(spot.Y), Number(spot.Z),
                Number(c.XX), Number(c.XY), Number(c.XZ), Number(c.YY), Number(c.YZ), Number(c.ZZ),
                TagNames.Of(spot.DetectionTag), TagNames.Of(spot.TrackingTag), Number(spot.Quality)));
        }

        WriteAtomically(spotsPath, spots.ToString());
        if (linksPath is not null)
        {
            var links = new StringBuilder().AppendLine("source,target,tracking_tag");
            foreach (var link in graph.Links.OrderBy(l => l.Source.Timepoint).ThenBy(l => l.Source.Id).ThenBy(l => l.Target.Id))
            {
                links.AppendLine(string.Join(',', Number(link.Source.Id), Number(link.Target.Id), TagNames.Of(link.TrackingTag)));
            }

            WriteAtomically(linksPath, links.ToString());
        }
    }

    /// <summary>Reads a spot table (and optionally a link table) into a new graph; spot ids in the files map to new spots.</summary>
    /// <param name="spotsPath">The spot table: needs <c>timepoint,x,y,z</c> and either the six covariance columns or <c>radius</c>; <c>id</c>, tags and <c>quality</c> are optional.</param>
    /// <param name="linksPath">The link table, or null.</param>
    /// <returns>The graph.</returns>
    /// <exception cref="InvalidDataException">A column is missing, a value does not parse, an id repeats or a link names an unknown spot (the message gives file and line).</exception>
    public static LineageGraph Read(string spotsPath, string? linksPath = null)
    {
        var graph = new LineageGraph();
        var byFileId = new Dictionary<long, Spot>();
        var lines = File.ReadAllLines(spotsPath);
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"{spotsPath}: the file is empty; the first line must name the columns.");
        }

        var header = Header(lines[0]);
        int Column(string name) => header.TryGetValue(name, out var index) ? index : -1;
        var (t, x, y, z) = (Column("timepoint"), Column("x"), Column("y"), Column("z"));
        if (t < 0 || x < 0 || y < 0 || z < 0)
        {
            throw new InvalidDataException($"{spotsPath}: the columns timepoint, x, y and z are required; found {lines[0]}.");
        }

        int[] covariance = [Column("cxx"), Column("cxy"), Column("cxz"), Column("cyy"), Column("cyz"), Column("czz")];
        var radius = Column("radius");
        if (covariance.Any(c => c < 0) && radius < 0)
        {
            throw new InvalidDataException($"{spotsPath}: give either the covariance columns cxx,cxy,cxz,cyy,cyz,czz or a radius column.");
        }

        var (id, detection, tracking, quality) = (Column("id"), Column("detection_tag"), Column("tracking_tag"), Column("quality"));
        for (var line = 1; line < lines.Length; line++)
        {
            if (string.IsNullOrWhiteSpace(lines[line]))
            {
                continue;
            }

            var cells = lines[line].Split(',');
            var where = $"{spotsPath}, line {line + 1}";
            string Cell(int column) => column < cells.Length ? cells[column].Trim() : throw new InvalidDataException($"{where}: the row has {cells.Length} values, fewer than the header.");
            var shape = covariance.All(c => c >= 0)
                ? new Covariance3(Parse(Cell(covariance[0]), where), Parse(Cell(covariance[1]), where), Parse(Cell(covariance[2]), where),
                    Parse(Cell(covariance[3]), where), Parse(Cell(covariance[4]), where), Parse(Cell(covariance[5]), where))
                : Covariance3.Sphere(Parse(Cell(radius), where));
            var timepoint = (int)Parse(Cell(t), where);
            Spot spot;
            try
            {
                spot = graph.AddSpot(timepoint, Parse(Cell(x), where), Parse(Cell(y), where), Parse(Cell(z), where), shape);
            }
            catch (ArgumentException exception)
            {
                throw new InvalidDataException($"{where}: {exception.Message}", exception);
            }

            if (detection >= 0)
            {
                spot.DetectionTag = TagNames.ParseDetection(Cell(detection), where);
            }

            if (tracking >= 0)
            {
                spot.TrackingTag = TagNames.ParseTracking(Cell(tracking), where);
            }

            if (quality >= 0)
            {
                spot.Quality = Parse(Cell(quality), where);
            }

            var fileId = id >= 0 ? (long)Parse(Cell(id), where) : line;
            if (!byFileId.TryAdd(fileId, spot))
            {
                throw new InvalidDataException($"{where}: spot id {fileId} is used twice.");
            }
        }

        if (linksPath is not null)
        {
            ReadLinks(linksPath, graph, byFileId);
        }

        return graph;
    }

    private static void ReadLinks(string path, LineageGraph graph, Dictionary<long, Spot> byFileId)
    {
        var lines = File.ReadAllLines(path);
        var header = lines.Length > 0 ? Header(lines[0]) : [];
        if (!header.TryGetValue("source", out var source) || !header.TryGetValue("target", out var target))
        {
            throw new InvalidDataException($"{path}: the columns source and target are required.");
        }

        var tracking = header.GetValueOrDefault("tracking_tag", -1);
        for (var line = 1; line < lines.Length; line++)
        {
            if (string.IsNullOrWhiteSpace(lines[line]))
            {
                continue;
            }

            var cells = lines[line].Split(',');
            var where = $"{path}, line {line + 1}";
            if (cells.Length <= Math.Max(source, Math.Max(target, tracking)))
            {
                throw new InvalidDataException($"{where}: the row has fewer values than the header.");
            }

            var from = byFileId.GetValueOrDefault((long)Parse(cells[source], where)) ?? throw new InvalidDataException($"{where}: unknown source spot {cells[source]}.");
            var to = byFileId.GetValueOrDefault((long)Parse(cells[target], where)) ?? throw new InvalidDataException($"{where}: unknown target spot {cells[target]}.");
            try
            {
                // Links may be listed either way round; they always run forward in time.
                var (early, late) = from.Timepoint <= to.Timepoint ? (from, to) : (to, from);
                var link = graph.AddLink(early, late);
                if (tracking >= 0)
                {
                    link.TrackingTag = TagNames.ParseTracking(cells[tracking].Trim(), where);
                }
            }
            catch (ArgumentException exception)
            {
                throw new InvalidDataException($"{where}: {exception.Message}", exception);
            }
        }
    }

    private static Dictionary<string, int> Header(string line) =>
        line.Split(',').Select((name, index) => (Name: name.Trim().Trim('"').ToLowerInvariant(), index))
            .GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First().index);

    private static double Parse(string text, string where) =>
        double.TryParse(text.Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new InvalidDataException($"{where}: '{text}' is not a finite number.");

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
