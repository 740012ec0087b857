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
            var data = AstecEmbryo.Load(Path.Combine(folder, embryo));
            var spacing = data.MedianNearestNeighbourDistance();
            var lengths = data.Truth.Links.Select(l => Math.Sqrt(data.Position(l.Source).SquaredDistanceTo(data.Position(l.Target)))).Order().ToArray();
            Console.WriteLine(FormattableString.Invariant(
                $"{embryo} spots={data.Rows.Count} true_links={data.Truth.Links.Count} true_divisions={data.Truth.Divisions.Count} timepoints={data.Rows.Min(r => r.T)}-{data.Rows.Max(r => r.T)} median_true_link_length={lengths[lengths.Length / 2]:F2} median_nn_distance_in_frame={spacing:F2}"));

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
                Console.WriteLine($"{embryo} {data.Truth.Report(FormattableString.Invariant($"elephant_nn threshold={threshold:F2} ({name})"), predicted, seconds)}");
                _ = result;
            }

            var baselineClock = Stopwatch.StartNew();
            var naive = data.NearestParentBaseline();
            Console.WriteLine($"{embryo} {data.Truth.Report("naive_nearest_parent", naive, baselineClock.Elapsed.TotalSeconds)}");
        }

        return 0;
    }
}
