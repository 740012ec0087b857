using System.Diagnostics;
using System.Globalization;
using CellVision.Core.Annotations;
using CellVision.Core.Spatial;
using CellVision.Evaluation;
using CellVision.Tracking;

namespace CellVision.Benchmarks;

/// <summary>
/// <c>astec-relink</c>: relinks the ASTEC Phallusia embryos Pm02..Pm05 (../shared/data/astec-phallusia-lineages/derived:
/// spots.csv spot_id,t,x,y,z,radius,tracklet; links.csv source_spot_id,target_spot_id; positions physical) with
/// ELEPHANT's nearest-neighbour linking after removing every link, and scores the links against the truth: link
/// precision and recall, and division recall (true divisions whose daughter links are all recovered). Thresholds: the
/// ELEPHANT default 5.0; five times the median true link length (covers the movement of cells that do not divide,
/// p99.9 ≈ 16–22, but not most daughters, which lie 25–35 from their mother's centre); and one chosen from the spots
/// alone, the median distance between a spot and its nearest neighbour in the same frame (43–60 here: daughters are
/// about one cell apart, so their links reach about half to one spacing, and a cell that moved a whole spacing would
/// be ambiguous to any nearest-neighbour method anyway). --threshold adds another. A naive baseline links every spot to
/// its nearest spot one frame earlier, without threshold or capacity.
/// </summary>
internal static class AstecRelink
{
    internal static int Run(string folder, string[] embryos, double? extra)
    {
        foreach (var embryo in embryos)
        {
            var data = Embryo.Load(Path.Combine(folder, embryo));
            var spacing = data.MedianNearestNeighbourDistance();
            var lengths = data.TrueLinks.Select(l => Math.Sqrt(data.Position(l.Source).SquaredDistanceTo(data.Position(l.Target)))).Order().ToArray();
            Console.WriteLine(FormattableString.Invariant(
                $"{embryo} spots={data.Rows.Count} true_links={data.TrueLinks.Count} true_divisions={data.TrueDivisions.Count} timepoints={data.Rows.Min(r => r.T)}-{data.Rows.Max(r => r.T)} median_true_link_length={lengths[lengths.Length / 2]:F2} median_nn_distance_in_frame={spacing:F2}"));

            var thresholds = new List<(string Name, double Value)>
            {
                ("default", 5.0),
                ("5x_median_true_link_length", 5 * lengths[lengths.Length / 2]),
                ("median_nn_spacing", spacing),
            };
            if (extra is { } given)
            {
                thresholds.Add(("given", given));
            }

            foreach (var (name, threshold) in thresholds)
            {
                var graph = data.BuildGraph(withLinks: false, out var ids);
                var clock = Stopwatch.StartNew();
                var result = new NearestNeighborLinker(new NearestNeighborLinkingOptions { DistanceThreshold = threshold }).LinkAll(graph);
                var seconds = clock.Elapsed.TotalSeconds;
                var predicted = graph.Links.Select(l => (ids[l.Source], ids[l.Target])).ToHashSet();
                Report(embryo, FormattableString.Invariant($"elephant_nn threshold={threshold:F2} ({name})"), data, predicted, seconds);
                _ = result;
            }

            var baselineClock = Stopwatch.StartNew();
            var naive = data.NearestParentBaseline();
            Report(embryo, "naive_nearest_parent", data, naive, baselineClock.Elapsed.TotalSeconds);
        }

        return 0;
    }

    private static void Report(string embryo, string method, Embryo data, HashSet<(int, int)> predicted, double seconds)
    {
        var correct = predicted.Count(data.TrueLinks.Contains);
        var precision = predicted.Count == 0 ? 0 : (double)correct / predicted.Count;
        var recall = (double)correct / data.TrueLinks.Count;
        var divisions = data.TrueDivisions.Count(d => d.All(predicted.Contains));
        var divisionRecall = data.TrueDivisions.Count == 0 ? 0 : (double)divisions / data.TrueDivisions.Count;
        var predictedDivisions = predicted.GroupBy(l => l.Item1).Count(g => g.Count() >= 2);
        var scores = CtcEdgeScores(data, predicted);
        Console.WriteLine(FormattableString.Invariant(
            $"{embryo} {method} links={predicted.Count} link_precision={precision:F4} link_recall={recall:F4} division_recall={divisionRecall:F4} ({divisions}/{data.TrueDivisions.Count}) predicted_divisions={predictedDivisions} tra={scores.Tra:F4} lnk={scores.Lnk:F4} ed={scores.Counts.RedundantEdges} ea={scores.Counts.MissingEdges} ec={scores.Counts.WrongTypeEdges} seconds={seconds:F3}"));
    }

    /// <summary>TRA and LNK of the predicted links against the true ones over the same (true) positions.</summary>
    private static CtcScores CtcEdgeScores(Embryo data, HashSet<(int Source, int Target)> predicted)
    {
        var truth = data.BuildGraph(withLinks: true, out var truthIds);
        var result = data.BuildGraph(withLinks: false, out var resultIds);
        var truthById = truthIds.ToDictionary(pair => pair.Value, pair => pair.Key);
        var resultById = resultIds.ToDictionary(pair => pair.Value, pair => pair.Key);
        foreach (var (source, target) in predicted)
        {
            result.AddLink(resultById[source], resultById[target]);
        }

        return LinkEvaluator.Evaluate(truth, result, spot => truthById[resultIds[spot]]);
    }

    private sealed record Row(int Id, int T, double X, double Y, double Z, double Radius);

    private sealed class Embryo
    {
        private readonly Dictionary<int, Row> byId = [];

        public List<Row> Rows { get; } = [];

        public HashSet<(int Source, int Target)> TrueLinks { get; } = [];

        public List<(int, int)[]> TrueDivisions { get; } = [];

        public static Embryo Load(string folder)
        {
            var embryo = new Embryo();
            foreach (var fields in ReadCsv(Path.Combine(folder, "spots.csv"), "spot_id,t,x,y,z,radius"))
            {
                var row = new Row(int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture),
                    Parse(fields[2]), Parse(fields[3]), Parse(fields[4]), Parse(fields[5]));
                embryo.Rows.Add(row);
                embryo.byId[row.Id] = row;
            }

            foreach (var fields in ReadCsv(Path.Combine(folder, "links.csv"), "source_spot_id,target_spot_id"))
            {
                embryo.TrueLinks.Add((int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture)));
            }

            foreach (var group in embryo.TrueLinks.GroupBy(l => l.Source).Where(g => g.Count() >= 2))
            {
                embryo.TrueDivisions.Add([.. group]);
            }

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
                foreach (var (source, target) in TrueLinks)
                {
                    graph.AddLink(spots[source], spots[target]);
                }
            }

            return graph;
        }

        /// <summary>The median over all spots of the distance to the nearest other spot of the same frame.</summary>
        public double MedianNearestNeighbourDistance()
        {
            var distances = new List<double>();
            var indices = new int[2];
            var squared = new double[2];
            foreach (var frame in Rows.GroupBy(r => r.T))
            {
                var points = frame.Select(r => new Point3(r.X, r.Y, r.Z)).ToArray();
                if (points.Length < 2)
                {
                    continue;
                }

                var tree = KdTree3.Build(points);
                foreach (var p in points)
                {
                    tree.Nearest(p, indices, squared);
                    distances.Add(Math.Sqrt(squared[1]));
                }
            }

            distances.Sort();
            return distances[distances.Count / 2];
        }

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
}
