using System.Diagnostics;
using System.Globalization;
using CellVision.Core.Annotations;
using CellVision.Core.Spatial;
using CellVision.Evaluation;
using CellVision.Tracking;

namespace CellVision.Benchmarks;

/// <summary>
/// <c>gnn-ctc</c>: the GNN tracker on a Cell Tracking Challenge sequence in the "GT segmentation" setting: trained on
/// one range of frames (ground-truth TRA masks as cells and track ids), it tracks another range with the same masks
/// as detections; both decoders are scored with the official measures on the written result folder (TRA, DET, LNK)
/// and, over the same cells, beside ELEPHANT's nearest-neighbour linking: link precision and recall, division recall,
/// TRA and LNK.
/// </summary>
internal static class GnnCtc
{
    internal static int Run(string data, string sequence, (int First, int Last) train, (int First, int Last) track, GnnTrackerOptions options, double nnThreshold, string? keep, string? weights)
    {
        var work = keep ?? Directory.CreateTempSubdirectory("cellvision-gnn-ctc-").FullName;
        try
        {
            var cv = new CellVisionContext(options.Seed);
            var clock = Stopwatch.StartNew();
            var model = weights ?? Path.Combine(work, "gnn.pth");
            if (weights is not null)
            {
                Console.WriteLine($"weights: {weights} (no training)");
            }
            else
            {
                using var tracker = cv.Tracking.TrainGnn([Path.Combine(data, sequence)], options, train, new GnnEpochPrinter());
                var result = tracker.LastTraining!;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"trained on frames {train.First}-{train.Last}: {result.Epochs.Count} epochs, best {result.BestEpoch} (validation accuracy {result.Epochs[result.BestEpoch - 1].ValidationAccuracy:F4}; linking nothing scores {result.TrivialValidationAccuracy:F4}), {result.TrainingGraphs} training and {result.ValidationGraphs} validation windows, {clock.Elapsed.TotalSeconds:F0} s"));
                tracker.SaveWeights(model);
                if (tracker.EmbeddingModel is { } embedding)
                {
                    var last = embedding.LastTraining;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"metric-learning embedding: {last?.Epochs.Count} epochs, best {last?.BestEpoch}"));
                    embedding.Save(GnnEmbeddingOptions.BesideWeights(model));
                }
            }

            var subset = Path.Combine(work, "track");
            var truthTracks = CtcFrameSubset.Write(data, sequence, track, subset);
            var truth = Truth(truthTracks);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"tracking frames {track.First}-{track.Last}: {truth.Cells.Count} cells, {truth.Links.Count} true links, {truth.Divisions.Count} divisions"));
            DecodedTracks? any = null;
            foreach (var decoder in new[] { GnnDecoder.Global, GnnDecoder.Reference })
            {
                var name = decoder.ToString().ToLowerInvariant();
                using var tracker = cv.Tracking.LoadGnn(model, options with { Decoding = options.Decoding with { Decoder = decoder } });
                var resultFolder = Path.Combine(subset, $"{sequence}_RES_{name}");
                clock.Restart();
                var tracks = cv.Tracking.TrackGnn(tracker, Path.Combine(subset, sequence), Path.Combine(subset, sequence + "_GT", "TRA"), resultFolder);
                var seconds = clock.Elapsed.TotalSeconds;
                any = tracks;
                var official = CtcEvaluator.Evaluate(Path.Combine(subset, sequence + "_GT"), resultFolder).Scores;
                var links = tracks.Links.Select(l => (Key(tracks.Nodes[l.Source]), Key(tracks.Nodes[l.Target]))).ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gnn_{name} ctc: tra={official.Tra:F4} det={official.Det:F4} lnk={official.Lnk:F4}"));
                Console.WriteLine($"gnn_{name} {truth.Report($"links:", links, seconds)}");
            }

            foreach (var (label, threshold) in new[] { ("given", nnThreshold), ("median_nn_spacing", CellSpacing.MedianNearestNeighbourDistance(any!.Nodes.Select(n => (n.Frame, n.Position!.Value)))) })
            {
                clock.Restart();
                var links = NearestNeighbour(any!.Nodes, threshold);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"elephant_nn threshold={threshold:F2} ({label}) {truth.Report("links:", links, clock.Elapsed.TotalSeconds)}"));
            }

            return 0;
        }
        finally
        {
            if (keep is null)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static (int Frame, int Label) Key(CellNode node) => (node.Frame, node.SegmentLabel);

    /// <summary>The true links of a CTC track table: consecutive frames of a track, and parent end → child begin.</summary>
    private static LinkTruth<(int Frame, int Label)> Truth(IReadOnlyList<(int Label, int Begin, int End, int Parent)> tracks)
    {
        var byLabel = tracks.ToDictionary(t => t.Label);
        var cells = tracks.SelectMany(t => Enumerable.Range(t.Begin, t.End - t.Begin + 1).Select(f => (f, t.Label)));
        var links = new List<((int, int), (int, int))>();
        foreach (var t in tracks)
        {
            for (var f = t.Begin; f < t.End; f++)
            {
                links.Add(((f, t.Label), (f + 1, t.Label)));
            }

            if (t.Parent != 0 && byLabel.TryGetValue(t.Parent, out var parent))
            {
                links.Add(((parent.End, parent.Label), (t.Begin, t.Label)));
            }
        }

        return new LinkTruth<(int Frame, int Label)>(cells, links, key => key.Frame);
    }

    /// <summary>ELEPHANT's nearest-neighbour linking of the same cells (physical centres and radii of the decoded nodes).</summary>
    private static List<((int, int), (int, int))> NearestNeighbour(IReadOnlyList<CellNode> nodes, double threshold)
    {
        var graph = new LineageGraph();
        var keys = new Dictionary<Spot, (int, int)>();
        foreach (var node in nodes)
        {
            var p = node.Position!.Value;
            keys[graph.AddSpot(node.Frame, p.X, p.Y, p.Z, node.Radius ?? 1)] = Key(node);
        }

        new NearestNeighborLinker(new NearestNeighborLinkingOptions { DistanceThreshold = threshold }).LinkAll(graph);
        return [.. graph.Links.Select(l => (keys[l.Source], keys[l.Target]))];
    }
}
