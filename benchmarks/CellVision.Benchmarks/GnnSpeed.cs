using System.Diagnostics;
using System.Globalization;
using CellVision.Core.Geometry;
using CellVision.Core.Spatial;
using CellVision.Core.Volumes;
using CellVision.IO.Tiff;
using CellVision.Torch;
using CellVision.Torch.Serialization;
using CellVision.Tracking;

namespace CellVision.Benchmarks;

/// <summary>
/// <c>compare-gnn</c>: the GNN cell tracker's stages on a Cell Tracking Challenge sequence (Fluo-N2DH-SIM+ 01 by
/// default, its TRA masks as the segmentation) in CellVision and in benchmarks/compare/gnn.py, the plain
/// PyTorch/NumPy transcriptions of cell-tracker-gnn that the golden tests use, with the same libtorch thread count and
/// the same initial weights (a seeded network written to a temporary .pth that both load).
/// </summary>
/// <remarks>
/// Stages: <c>features</c> (hand-crafted features of every frame), <c>graph</c> (the candidate graph of the whole
/// sequence), <c>inference</c> (edge probabilities of that graph; <c>pipeline</c> is the sum of the three),
/// <c>windows</c> (the labelled 10-frame training windows), <c>epoch</c> (one epoch as <see cref="GnnTracker.Train"/>
/// runs it: the validation split, shuffled batches of 8 graphs, Adam steps with dropout on, the held-out batches in
/// evaluation mode, a copy of the weights), and the decoders on the model's probabilities and on scores from the
/// ground truth (0.95 within a track, 0.2 otherwise; an untrained model's probabilities are nearly constant). After a
/// warm-up of every stage, --rounds rounds each run the reference script once and every CellVision stage once;
/// medians over the rounds are compared as reference seconds / CellVision seconds.
/// </remarks>
internal static class GnnSpeed
{
    private static readonly string[] RatioStages = ["features", "graph", "inference", "pipeline", "windows", "epoch", "decode_model_reference", "decode_truth_reference"];

    internal static int Run(string data, string reference, int rounds, int threads, int seed, int frameLimit)
    {
        TorchRuntime.ThreadCount = threads;
        var haveReference = reference != "none" && File.Exists(reference);
        if (!haveReference && reference != "none")
        {
            Console.WriteLine($"reference {reference} not found (give --reference PATH, or --reference none): printing CellVision's numbers only");
        }

        var (raws, masks) = Read(data, frameLimit);
        using var folder = new TemporaryWeights();
        var options = new CellTrackGnnOptions { HandcraftedFeatures = NodeFeatureColumns.Names(NodeFeatureSet.HandCrafted, 2).Count, UseEmbedding = false };
        using (var initial = TorchRuntime.Seeded(unchecked((ulong)seed), () => new CellTrackGnn(options)))
        using (var state = initial.StateDict())
        {
            PthFile.Save(folder.Path, state);
        }

        var labelled = raws.Select((raw, k) => CellFeatureExtractor.ExtractWithTrackIds(raw, masks[k], masks[k], k)).ToList();
        var ours = new Dictionary<string, List<double>>();
        var theirs = new Dictionary<string, List<double>>();
        var facts = new Dictionary<string, string>();
        string? referenceFacts = null;

        // Warm-up: every stage once, so tiered JIT has promoted the hot methods before timing.
        RunStages(raws, masks, labelled, folder.Path, seed, null, facts);
        for (var round = 0; round < rounds; round++)
        {
            if (haveReference)
            {
                var line = RunPython(reference, data, folder.Path, threads, seed, frameLimit);
                referenceFacts = line;
                foreach (var (key, value) in Pairs(line))
                {
                    if (key.EndsWith("_s", StringComparison.Ordinal))
                    {
                        Add(theirs, key[..^2], double.Parse(value, CultureInfo.InvariantCulture));
                    }
                }

                Add(theirs, "pipeline", theirs["features"][^1] + theirs["graph"][^1] + theirs["inference"][^1]);
            }

            RunStages(raws, masks, labelled, folder.Path, seed, ours, facts);
        }

        Console.WriteLine(FormattableString.Invariant($"cellvision_gnn threads={TorchRuntime.ThreadCount} frames={raws.Count} {string.Join(' ', facts.Select(p => $"{p.Key}={p.Value}"))}"));
        if (referenceFacts is not null)
        {
            Console.WriteLine(referenceFacts);
        }

        Console.WriteLine(FormattableString.Invariant($"{"stage",-26} {"cellvision_s",12} {"reference_s",12} {"ratio",8}   (medians of {rounds} rounds; ratio = reference / cellvision)"));
        foreach (var stage in ours.Keys)
        {
            var mine = KnnComparison.Median([.. ours[stage]]);
            var line = FormattableString.Invariant($"{stage,-26} {mine,12:F4}");
            var referenceStage = RatioStages.Contains(stage) ? stage.Replace("_reference", string.Empty, StringComparison.Ordinal) : null;
            if (referenceStage is not null && theirs.TryGetValue(referenceStage, out var list) && list.Count > 0)
            {
                var other = KnnComparison.Median([.. list]);
                line += FormattableString.Invariant($" {other,12:F4} {other / mine,7:F2}x");
            }

            Console.WriteLine(line);
        }

        var perFrame = KnnComparison.Median([.. ours["decode_truth_global"]]) / raws.Count;
        var solverPerFrame = KnnComparison.Median([.. ours["solver_truth_global"]]) / raws.Count;
        Console.WriteLine(FormattableString.Invariant($"global decoder on truth-like scores: {perFrame * 1000:F2} ms per frame, of which CP-SAT {solverPerFrame * 1000:F2} ms per frame"));
        var modelPerFrame = KnnComparison.Median([.. ours["decode_model_global"]]) / raws.Count;
        var modelSolverPerFrame = KnnComparison.Median([.. ours["solver_model_global"]]) / raws.Count;
        Console.WriteLine(FormattableString.Invariant($"global decoder on the untrained model's probabilities: {modelPerFrame * 1000:F2} ms per frame, of which CP-SAT {modelSolverPerFrame * 1000:F2} ms per frame"));
        foreach (var decoder in new[] { "model", "truth" })
        {
            if (theirs.TryGetValue($"decode_{decoder}", out var list) && list.Count > 0)
            {
                var mine = KnnComparison.Median([.. ours[$"decode_{decoder}_reference"]]) / raws.Count;
                Console.WriteLine(FormattableString.Invariant($"reference decoder on {decoder} scores: cellvision {mine * 1000:F2} ms per frame, reference {KnnComparison.Median([.. list]) / raws.Count * 1000:F2} ms per frame"));
            }
        }

        return 0;
    }

    /// <summary>Every stage once; with <paramref name="times"/>, each stage's seconds are added to it.</summary>
    private static void RunStages(
        List<Volume<ushort>> raws, List<Volume<ushort>> masks, List<IReadOnlyList<CellFeatures>> labelled, string weights, int seed,
        Dictionary<string, List<double>>? times, Dictionary<string, string> facts)
    {
        void Record(string stage, double seconds)
        {
            if (times is not null)
            {
                Add(times, stage, seconds);
            }
        }

        var clock = Stopwatch.StartNew();
        var cells = new List<IReadOnlyList<CellFeatures>>(raws.Count);
        for (var k = 0; k < raws.Count; k++)
        {
            cells.Add(CellFeatureExtractor.Extract(raws[k], masks[k], k));
        }

        var features = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var graph = CandidateGraphBuilder.Build([.. cells.SelectMany(f => f)], new CandidateGraphOptions());
        var graphSeconds = clock.Elapsed.TotalSeconds;
        GnnPrediction prediction;
        using (var tracker = GnnTracker.Load(weights))
        {
            clock.Restart();
            prediction = tracker.Predict(graph);
        }

        var inference = clock.Elapsed.TotalSeconds;
        Record("features", features);
        Record("graph", graphSeconds);
        Record("inference", inference);
        Record("pipeline", features + graphSeconds + inference);

        clock.Restart();
        var windows = TrainingWindows.Create(labelled);
        Record("windows", clock.Elapsed.TotalSeconds);
        using (var tracker = GnnTracker.Load(weights))
        {
            clock.Restart();
            Epoch(tracker.Model!, windows, tracker.Options, seed);
            Record("epoch", clock.Elapsed.TotalSeconds);
        }

        using (var tracker = GnnTracker.Load(weights, new GnnTrackerOptions { MaxEpochs = 1, Seed = seed }))
        {
            clock.Restart();
            tracker.Train([labelled]);
            Record("train_call_windows_epoch", clock.Elapsed.TotalSeconds);
        }

        var nodes = graph.Nodes.Select(n => Node(cells[n.Frame].First(c => c.Label == n.Label))).ToList();
        var edges = Enumerable.Range(0, graph.EdgeCount).Select(e => new CandidateEdge(graph.Source(e), graph.Target(e))).ToList();
        var scores = new Dictionary<string, EdgeScores>
        {
            ["model"] = new(nodes, edges, [.. prediction.Probabilities.Select(p => (double)p)]),
            ["truth"] = new(nodes, edges, [.. edges.Select(e => graph.Nodes[e.Source].Label == graph.Nodes[e.Target].Label ? 0.95 : 0.2)]),
        };
        foreach (var (name, score) in scores)
        {
            foreach (var decoder in new[] { GnnDecoder.Global, GnnDecoder.Reference })
            {
                clock.Restart();
                var tracks = GnnTrackDecoder.Decode(score, VoxelSize.Unit, new GnnDecodingOptions { Decoder = decoder });
                var suffix = decoder == GnnDecoder.Global ? "global" : "reference";
                Record($"decode_{name}_{suffix}", clock.Elapsed.TotalSeconds);
                if (tracks.Assignment is { } summary)
                {
                    Record($"solver_{name}_{suffix}", summary.SolveTime.TotalSeconds);
                }

                facts[$"tracks_{name}_{suffix}"] = tracks.Tracks.Count.ToString(CultureInfo.InvariantCulture);
            }
        }

        facts["nodes"] = graph.NodeCount.ToString(CultureInfo.InvariantCulture);
        facts["edges"] = graph.EdgeCount.ToString(CultureInfo.InvariantCulture);
        facts["windows"] = windows.Count.ToString(CultureInfo.InvariantCulture);
        facts["mean_probability"] = prediction.Probabilities.Average(p => (double)p).ToString("F6", CultureInfo.InvariantCulture);
    }

    /// <summary>One epoch of <see cref="GnnTracker.Train"/>: its split, batches, steps and validation, and the best-weights copy.</summary>
    private static void Epoch(CellTrackGnn model, IReadOnlyList<CandidateGraph> windows, GnnTrackerOptions options, int seed)
    {
        var held = (int)Math.Floor(options.ValidationFraction * windows.Count);
        var training = windows.Take(windows.Count - held).ToArray();
        var validation = windows.Skip(windows.Count - held).ToArray();
        new Random(seed).Shuffle(training);
        using var kernels = options.OneDnnLinearLayers ? LinearKernels.ForceOneDnn() : null;
        using var trainer = new CellTrackGnnTrainer(model, options.Optimizer);
        foreach (var batch in Batches(training, options.Optimizer.BatchSize))
        {
            using (batch)
            {
                trainer.Step(batch);
            }
        }

        foreach (var batch in Batches(validation, options.Optimizer.BatchSize))
        {
            using (batch)
            {
                trainer.Validate(batch);
            }
        }

        using var state = model.StateDict();
        foreach (var (_, tensor) in state)
        {
            tensor.Clone().Dispose();
        }
    }

    private static IEnumerable<CellTrackGnnGraph> Batches(CandidateGraph[] graphs, int size)
    {
        for (var i = 0; i < graphs.Length; i += size)
        {
            var parts = graphs.Skip(i).Take(size).Select(g => new CellTrackGnnGraph(
                Tensor.FromSpan<float>(g.NodeFeatures, [g.NodeCount, g.FeatureCount]), null,
                Tensor.FromSpan<long>(g.EdgeIndex, [2, g.EdgeCount]), Tensor.FromSpan<float>(g.EdgeLabels!, [g.EdgeCount]))).ToList();
            try
            {
                yield return CellTrackGnnGraph.Collate(parts);
            }
            finally
            {
                parts.ForEach(p => p.Dispose());
            }
        }
    }

    /// <summary>A cell as <see cref="GnnTracker.Track"/> hands it to the decoder (unit voxels).</summary>
    private static CellNode Node(CellFeatures cell)
    {
        var (z, y, x) = cell.RoundedCentroid;
        return new CellNode(cell.Frame, checked((int)cell.Label), z, y, x)
        {
            Position = new Point3(cell.Centroid.X, cell.Centroid.Y, cell.Centroid.Z),
            Radius = Math.Sqrt(cell.Area / Math.PI),
        };
    }

    /// <summary>The raw frames NN/tTTT.tif and the masks NN_GT/TRA/man_trackTTT.tif, in frame order.</summary>
    private static (List<Volume<ushort>> Raws, List<Volume<ushort>> Masks) Read(string data, int frameLimit)
    {
        var full = Path.GetFullPath(data).TrimEnd(Path.DirectorySeparatorChar);
        var tra = Path.Combine(full + "_GT", "TRA");
        var numbers = Directory.EnumerateFiles(tra, "man_track*.tif")
            .Select(p => int.Parse(Path.GetFileNameWithoutExtension(p)["man_track".Length..], CultureInfo.InvariantCulture))
            .Order().ToList();
        if (frameLimit > 0)
        {
            numbers = [.. numbers.Take(frameLimit)];
        }

        var raws = numbers.Select(n => ReadTiff(Path.Combine(full, string.Create(CultureInfo.InvariantCulture, $"t{n:D3}.tif")))).ToList();
        var masks = numbers.Select(n => ReadTiff(Path.Combine(tra, string.Create(CultureInfo.InvariantCulture, $"man_track{n:D3}.tif")))).ToList();
        return (raws, masks);
    }

    private static Volume<ushort> ReadTiff(string path)
    {
        using var tiff = TiffFile.Open(path);
        return tiff.ReadStack<ushort>();
    }

    private static void Add(Dictionary<string, List<double>> times, string stage, double seconds)
    {
        if (!times.TryGetValue(stage, out var list))
        {
            times.Add(stage, list = []);
        }

        list.Add(seconds);
    }

    private static IEnumerable<(string Key, string Value)> Pairs(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(token => token.Split('=', 2)).Where(kv => kv.Length == 2).Select(kv => (kv[0], kv[1]));

    /// <summary>benchmarks/compare/gnn.py in the repository that holds this program.</summary>
    internal static string DefaultReference()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CellVision.sln")))
        {
            directory = directory.Parent;
        }

        return directory is null ? "gnn.py" : Path.Combine(directory.FullName, "benchmarks", "compare", "gnn.py");
    }

    private static string RunPython(string script, string data, string weights, int threads, int seed, int frameLimit)
    {
        var arguments = new[] { script, "--data", data, "--weights", weights, "--threads", threads.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture), "--frames", frameLimit.ToString(CultureInfo.InvariantCulture) };
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("python3 did not start.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {error.Result}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith("reference_gnn ", StringComparison.Ordinal));
    }

    /// <summary>A temporary .pth file for the shared initial weights, deleted on dispose.</summary>
    private sealed class TemporaryWeights : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cellvision-gnn-{Guid.NewGuid():N}.pth");

        public void Dispose() => File.Delete(Path);
    }
}
