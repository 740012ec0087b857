using System.Diagnostics;
using System.Globalization;
using CellVision.Tracking;

namespace CellVision.Benchmarks;

/// <summary>
/// <c>gnn-astec</c>: the GNN tracker in geometry-only mode on the ASTEC Phallusia embryos (positions and radii, no
/// images): trained on the true lineages of some embryos, it relinks another whose links were all removed; both
/// decoders are scored beside the naive nearest parent and ELEPHANT's nearest-neighbour linking at the median spot
/// spacing (the best of <c>astec-relink</c>'s thresholds): link precision and recall, division recall, TRA and LNK.
/// </summary>
internal static class GnnAstec
{
    internal static int Run(string folder, string[] train, string[] track, GnnTrackerOptions options, string? model, string? weights, string? scoresFolder = null)
    {
        using var tracker = weights is null ? new GnnTracker(options) : GnnTracker.Load(weights, options);
        var clock = Stopwatch.StartNew();
        if (weights is null)
        {
            Train(tracker, folder, train, options, model, clock);
        }

        foreach (var embryo in track)
        {
            var data = AstecEmbryo.Load(Path.Combine(folder, embryo));
            var lineage = data.BuildGraph(withLinks: false, out var ids);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{embryo} spots={lineage.SpotCount} true_links={data.Truth.Links.Count} true_divisions={data.Truth.Divisions.Count}"));
            if (scoresFolder is not null)
            {
                WriteScores(tracker, lineage, ids, Path.Combine(scoresFolder, $"{embryo}-scores.csv"));
            }

            foreach (var decoder in new[] { GnnDecoder.Global, GnnDecoder.Reference })
            {
                clock.Restart();
                var tracks = tracker.TrackLineage(lineage, options.Decoding with { Decoder = decoder });
                var predicted = tracks.Links.Select(l => (ids[lineage.FindSpot(tracks.Nodes[l.Source].SegmentLabel)!], ids[lineage.FindSpot(tracks.Nodes[l.Target].SegmentLabel)!])).ToList();
                Console.WriteLine($"{embryo} {data.Truth.Report($"gnn_{decoder.ToString().ToLowerInvariant()}", predicted, clock.Elapsed.TotalSeconds)}");
            }

            clock.Restart();
            var naive = data.NearestParentBaseline();
            Console.WriteLine($"{embryo} {data.Truth.Report("naive_nearest_parent", naive, clock.Elapsed.TotalSeconds)}");
            var spacing = data.MedianNearestNeighbourDistance();
            var nn = data.BuildGraph(withLinks: false, out var nnIds);
            clock.Restart();
            new NearestNeighborLinker(new NearestNeighborLinkingOptions { DistanceThreshold = spacing }).LinkAll(nn);
            var linked = nn.Links.Select(l => (nnIds[l.Source], nnIds[l.Target])).ToList();
            Console.WriteLine($"{embryo} {data.Truth.Report(FormattableString.Invariant($"elephant_nn threshold={spacing:F2} (median_nn_spacing)"), linked, clock.Elapsed.TotalSeconds)}");
        }

        return 0;
    }

    /// <summary>Writes every candidate link's probability (source_spot_id,target_spot_id,probability), for analysing decoders.</summary>
    private static void WriteScores(GnnTracker tracker, Core.Annotations.LineageGraph lineage, Dictionary<Core.Annotations.Spot, int> ids, string path)
    {
        var prediction = tracker.Predict(CandidateGraphBuilder.BuildFromSpots(lineage, tracker.Options.Graph with { TrainingLabels = false }));
        var graph = prediction.Graph;
        using var writer = new StreamWriter(path);
        writer.WriteLine("source_spot_id,target_spot_id,probability");
        for (var e = 0; e < graph.EdgeCount; e++)
        {
            var source = ids[lineage.FindSpot(checked((int)graph.Nodes[graph.Source(e)].Label))!];
            var target = ids[lineage.FindSpot(checked((int)graph.Nodes[graph.Target(e)].Label))!];
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{source},{target},{prediction.Probabilities[e]:R}"));
        }
    }

    private static void Train(GnnTracker tracker, string folder, string[] train, GnnTrackerOptions options, string? model, Stopwatch clock)
    {
        var lineages = train.Select(e => AstecEmbryo.Load(Path.Combine(folder, e)).BuildGraph(withLinks: true, out _)).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"training on {string.Join(',', train)}: {lineages.Sum(l => l.SpotCount)} spots, {lineages.Sum(l => l.LinkCount)} links; gate={options.Graph.Gate} roi_multiplier={options.Graph.RoiMultiplier} radius={options.Graph.Radius} division_labels={options.Graph.PositiveDivisionLinks} seed={options.Seed}"));
        foreach (var (name, lineage) in train.Zip(lineages))
        {
            clock.Restart();
            var windows = TrainingWindows.CreateFromSpots(lineage, options.Graph, options.WindowLength);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {windows.Count} windows, {windows.Sum(w => w.NodeCount) / Math.Max(windows.Count, 1)} nodes and {windows.Sum(w => (long)w.EdgeCount) / Math.Max(windows.Count, 1)} candidate edges per window, built in {clock.Elapsed.TotalSeconds:F1} s"));
        }

        var result = tracker.TrainOnLineages(lineages, new GnnEpochPrinter());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained: {result.Epochs.Count} epochs, best {result.BestEpoch} (validation accuracy {result.Epochs[result.BestEpoch - 1].ValidationAccuracy:F4}; linking nothing scores {result.TrivialValidationAccuracy:F4}), {result.TrainingGraphs} training and {result.ValidationGraphs} validation windows, {result.Elapsed.TotalSeconds:F0} s"));
        if (model is not null)
        {
            tracker.SaveWeights(model);
        }
    }
}
