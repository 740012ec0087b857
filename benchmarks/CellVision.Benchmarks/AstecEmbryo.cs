using System.Globalization;
using CellVision.Core.Annotations;
using CellVision.Core.Spatial;

namespace CellVision.Benchmarks;

/// <summary>One spot of an ASTEC lineage (derived spots.csv): id, timepoint, physical centre and radius.</summary>
internal sealed record AstecRow(int Id, int T, double X, double Y, double Z, double Radius);

/// <summary>
/// One ASTEC Phallusia embryo of ../shared/data/astec-phallusia-lineages/derived: spots.csv
/// (spot_id,t,x,y,z,radius,tracklet; physical positions) and links.csv (source_spot_id,target_spot_id).
/// </summary>
internal sealed class AstecEmbryo
{
    private readonly Dictionary<int, AstecRow> byId = [];

    public List<AstecRow> Rows { get; } = [];

    /// <summary>The true links and divisions, over the spot ids.</summary>
    public LinkTruth<int> Truth { get; private set; } = null!;

    public static AstecEmbryo Load(string folder)
    {
        var embryo = new AstecEmbryo();
        var links = new List<(int, int)>();
        foreach (var fields in ReadCsv(Path.Combine(folder, "spots.csv"), "spot_id,t,x,y,z,radius"))
        {
            var row = new AstecRow(int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture),
                Parse(fields[2]), Parse(fields[3]), Parse(fields[4]), Parse(fields[5]));
            embryo.Rows.Add(row);
            embryo.byId[row.Id] = row;
        }

        foreach (var fields in ReadCsv(Path.Combine(folder, "links.csv"), "source_spot_id,target_spot_id"))
        {
            links.Add((int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture)));
        }

        embryo.Truth = new LinkTruth<int>(embryo.Rows.Select(r => r.Id), links, id => embryo.byId[id].T);
        return embryo;
    }

    public Point3 Position(int id)
    {
        var row = byId[id];
        return new Point3(row.X, row.Y, row.Z);
    }

    public LineageGraph BuildGraph(bool withLinks, out Dictionary<Spot, int> ids)
    {
        var graph = new LineageGraph();
        ids = new Dictionary<Spot, int>(Rows.Count);
        var spots = new Dictionary<int, Spot>(Rows.Count);
        foreach (var row in Rows)
        {
            var spot = graph.AddSpot(row.T, row.X, row.Y, row.Z, row.Radius);
            ids[spot] = row.Id;
            spots[row.Id] = spot;
        }

        if (withLinks)
        {
            foreach (var (source, target) in Truth.Links)
            {
                graph.AddLink(spots[source], spots[target]);
            }
        }

        return graph;
    }

    /// <summary>The median over all spots of the distance to the nearest other spot of the same frame.</summary>
    public double MedianNearestNeighbourDistance() =>
        CellSpacing.MedianNearestNeighbourDistance(Rows.Select(r => (r.T, new Point3(r.X, r.Y, r.Z))));

    /// <summary>Every spot linked to its nearest spot one frame earlier (no threshold, no capacity).</summary>
    public HashSet<(int, int)> NearestParentBaseline()
    {
        var frames = Rows.GroupBy(r => r.T).ToDictionary(g => g.Key, g => g.ToArray());
        var links = new HashSet<(int, int)>();
        var index = new int[1];
        var squared = new double[1];
        foreach (var (t, rows) in frames)
        {
            if (!frames.TryGetValue(t - 1, out var previous))
            {
                continue;
            }

            var tree = KdTree3.Build(previous.Select(r => new Point3(r.X, r.Y, r.Z)).ToArray());
            foreach (var row in rows)
            {
                if (tree.Nearest(row.X, row.Y, row.Z, index, squared) == 1)
                {
                    links.Add((previous[index[0]].Id, row.Id));
                }
            }
        }

        return links;
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static IEnumerable<string[]> ReadCsv(string path, string expectedHeader)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty.");
        if (!header.StartsWith(expectedHeader, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path} starts with '{header}', expected '{expectedHeader}…'.");
        }

        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                yield return line.Split(',');
            }
        }
    }
}
