using System.Diagnostics;
using CellVision.Core.Annotations;
using CellVision.Tracking;

namespace CellVision.Benchmarks;

/// <summary>
/// <c>link-frame</c>: ELEPHANT's nearest-neighbour linking (defaults) of one frame of n random spots (default 100,000)
/// to the previous frame, the frames made as ../shared/refbench/knn_ref.py makes them (uniform in [0, 100·n^(1/3)]³,
/// then moved by N(0, 1) per axis). Times <see cref="NearestNeighborLinker.LinkTimepoint"/> on a fresh graph each run
/// (median of --runs, after one warm-up run on a smaller frame). Goal: under 1 s on 2 cores.
/// </summary>
internal static class LinkFrame
{
    internal static int Run(int n, int runs)
    {
        Measure(Scene(Math.Min(n, 20_000), seed: 1).Graph);
        var samples = new double[runs];
        LinkingResult result = default;
        var correct = 0;
        for (var r = 0; r < runs; r++)
        {
            var (graph, truth) = Scene(n, seed: 0);
            GC.Collect();
            (samples[r], result) = Measure(graph);
            correct = truth.Count(pair => pair.Key.Incoming.Count == 1 && ReferenceEquals(pair.Key.Incoming[0].Source, pair.Value));
        }

        var seconds = KnnComparison.Median(samples);
        Console.WriteLine(FormattableString.Invariant(
            $"cellvision_link_frame n={n} processors={Environment.ProcessorCount} seconds={seconds:F3} spots_per_s={n / seconds:F0} links_added={result.LinksAdded} correct_links={correct} goal_seconds=1.0"));
        return 0;
    }

    private static (double Seconds, LinkingResult Result) Measure(LineageGraph graph)
    {
        var clock = Stopwatch.StartNew();
        var result = new NearestNeighborLinker().LinkTimepoint(graph, 1);
        return (clock.Elapsed.TotalSeconds, result);
    }

    private static (LineageGraph Graph, Dictionary<Spot, Spot> Truth) Scene(int n, int seed)
    {
        var (prev, cur) = KnnComparison.Frames(n, seed);
        var graph = new LineageGraph();
        var parents = new Spot[n];
        for (var i = 0; i < n; i++)
        {
            parents[i] = graph.AddSpot(0, prev[i].X, prev[i].Y, prev[i].Z, 5.0);
        }

        var truth = new Dictionary<Spot, Spot>(n);
        for (var i = 0; i < n; i++)
        {
            truth[graph.AddSpot(1, cur[i].X, cur[i].Y, cur[i].Z, 5.0)] = parents[i];
        }

        return (graph, truth);
    }
}
