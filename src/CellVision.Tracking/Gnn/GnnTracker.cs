using System.Diagnostics;
using CellVision.Core.Geometry;
using CellVision.Core.Spatial;
using CellVision.Torch;
using CellVision.Torch.Modules;
using CellVision.Torch.Serialization;

namespace CellVision.Tracking;

/// <summary>
/// The GNN cell tracker (Ben-Haim &amp; Riklin-Raviv, ECCV 2022) as one workflow: it owns the edge classifier
/// (<see cref="CellTrackGnn"/>), builds the candidate graphs from per-cell features (<see cref="CandidateGraphBuilder"/>),
/// trains on 10-frame windows with the reference's batches, loss, optimiser, validation split and early stopping, keeps
/// the best weights, scores the candidate links of a whole sequence and decodes them into tracks.
/// </summary>
/// <remarks>
/// The node features are the hand-crafted ones (<see cref="NodeFeatureSet.HandCrafted"/>) or, for data without images,
/// positions and sizes (<see cref="NodeFeatureSet.Geometry"/>); the network is the reference's without its metric-learning
/// branch. Not thread-safe: one training or prediction at a time.
/// </remarks>
public sealed class GnnTracker : IDisposable
{
    private CellTrackGnn? model;
    private StateDict? lastEpoch;

    /// <summary>Creates a tracker; the network is made when the feature count is known (training or loading).</summary>
    /// <param name="options">Every setting; null for the reference's.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public GnnTracker(GnnTrackerOptions? options = null)
    {
        Options = options ?? new GnnTrackerOptions();
        Options.Validate();
    }

    /// <summary>The settings in use.</summary>
    public GnnTrackerOptions Options { get; }

    /// <summary>What the last <see cref="Train"/> did, or null before any training.</summary>
    public GnnTrainingResult? LastTraining { get; private set; }

    /// <summary>The edge classifier, or null before training or loading.</summary>
    public CellTrackGnn? Model => model;

    /// <summary>Creates a tracker holding the weights of a <c>.pth</c> file written by <see cref="SaveWeights"/> (or a reference state dict).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Every setting; null for the reference's. The node features must be those the weights were trained on.</param>
    /// <returns>The tracker; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file is not a readable state dict.</exception>
    /// <exception cref="NotSupportedException">The weights expect the metric-learning embedding.</exception>
    public static GnnTracker Load(string path, GnnTrackerOptions? options = null)
    {
        using var weights = PthFile.LoadStateDict(path);
        var tracker = new GnnTracker(options);
        try
        {
            const string first = "handcrafted_node_embedding.fc_layers.0.weight";
            if (!weights.TryGetValue(first, out var encoder) || encoder.Rank != 2)
            {
                throw new PthFormatException($"'{path}' is not a GNN tracker state dict: it has no 2-D '{first}'.");
            }

            if (weights.Keys.Any(k => k.StartsWith("learned_node_embedding.", StringComparison.Ordinal)))
            {
                throw new NotSupportedException($"'{path}' was trained with the metric-learning embedding, which this tracker does not compute; train on hand-crafted or geometry features.");
            }

            tracker.model = new CellTrackGnn(new CellTrackGnnOptions { HandcraftedFeatures = (int)encoder.Size(1), UseEmbedding = false });
            tracker.model.LoadReferenceWeights(weights);
            return tracker;
        }
        catch
        {
            tracker.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Trains the edge classifier on every window of <see cref="GnnTrackerOptions.WindowLength"/> frames of the given
    /// sequences. Validation takes the last windows of the first sequence and the first of the second (the reference's
    /// split; with one sequence, its last windows). Training stops after <see cref="GnnTrackerOptions.Patience"/> epochs
    /// without a better validation accuracy; the tracker keeps the weights of the best epoch.
    /// </summary>
    /// <param name="sequences">Per sequence, per frame, the cells with their ground-truth track ids.</param>
    /// <param name="progress">Receives every epoch.</param>
    /// <param name="cancellationToken">Stops between batches; the tracker keeps the best weights so far.</param>
    /// <returns>The epochs run and the epoch kept.</returns>
    /// <exception cref="ArgumentException">No sequence gives a window, or a cell lacks its track id.</exception>
    public GnnTrainingResult Train(IReadOnlyList<IReadOnlyList<IReadOnlyList<CellFeatures>>> sequences, IProgress<GnnEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var start = Stopwatch.GetTimestamp();
        var graphOptions = Options.Graph with { TrainingLabels = true };
        var windows = sequences.Select(s => TrainingWindows.Create(s, graphOptions, Options.WindowLength)).ToList();
        var (training, validation) = GnnValidationSplit.Split(windows, Options.ValidationFraction);
        if (training.Count == 0)
        {
            throw new ArgumentException($"The sequences give no training window of {Options.WindowLength} frames.", nameof(sequences));
        }

        EnsureModel(training[0].FeatureCount);
        if (Options.Seed is int seed)
        {
            TorchRuntime.ManualSeed(unchecked((ulong)seed));
        }

        var random = Options.Seed is int order ? new Random(order) : new Random();
        using var kernels = Options.OneDnnLinearLayers ? LinearKernels.ForceOneDnn() : null;
        using var trainer = new CellTrackGnnTrainer(model!, Options.Optimizer);
        var epochs = new List<GnnEpoch>();
        StateDict? best = null;
        var bestAccuracy = double.NegativeInfinity;
        var bestEpoch = 0;
        try
        {
            for (var epoch = 1; epoch <= Options.MaxEpochs && epoch - bestEpoch <= Options.Patience; epoch++)
            {
                var shuffled = training.ToArray();
                random.Shuffle(shuffled);
                var trainingLoss = Mean(Batches(shuffled), batch => trainer.Step(batch).Loss, cancellationToken);
                var validationLoss = double.NaN;
                var accuracy = double.NaN;
                if (validation.Count > 0)
                {
                    var steps = Batches(validation).Select(batch =>
                    {
                        using (batch)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            return trainer.Validate(batch);
                        }
                    }).ToList();
                    validationLoss = steps.Average(s => s.Loss);
                    accuracy = steps.Average(s => s.Accuracy);
                }

                var result = new GnnEpoch(epoch, trainingLoss, validationLoss, accuracy);
                epochs.Add(result);
                if (validation.Count == 0 || accuracy > bestAccuracy)
                {
                    bestAccuracy = accuracy;
                    bestEpoch = epoch;
                    best?.Dispose();
                    best = Snapshot(model!);
                }

                progress?.Report(result);
            }
        }
        finally
        {
            lastEpoch?.Dispose();
            lastEpoch = Snapshot(model!);
            if (best is not null)
            {
                model!.LoadStateDict(best);
                best.Dispose();
            }
        }

        LastTraining = new GnnTrainingResult(epochs, bestEpoch, training.Count, validation.Count, Stopwatch.GetElapsedTime(start));
        return LastTraining;
    }

    /// <summary>Scores every candidate link of one sequence (one graph over all its frames, dropout off).</summary>
    /// <param name="frames">Per frame, the cells (track ids are not needed).</param>
    /// <returns>The candidate graph and the probability of each of its edges.</returns>
    /// <exception cref="InvalidOperationException">The tracker is neither trained nor loaded.</exception>
    /// <exception cref="ArgumentException">The cells' features do not fit the network (2-D against 3-D, or another feature set).</exception>
    public GnnPrediction Predict(IReadOnlyList<IReadOnlyList<CellFeatures>> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var graph = CandidateGraphBuilder.Build([.. frames.SelectMany(f => f)], Options.Graph with { TrainingLabels = false });
        return Predict(graph);
    }

    /// <summary>Scores every edge of a candidate graph (built by <see cref="CandidateGraphBuilder"/>), dropout off.</summary>
    /// <param name="graph">The graph.</param>
    /// <returns>The graph and the probability of each of its edges.</returns>
    /// <exception cref="InvalidOperationException">The tracker is neither trained nor loaded.</exception>
    /// <exception cref="ArgumentException">The graph's features do not fit the network.</exception>
    public GnnPrediction Predict(CandidateGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var network = model ?? throw new InvalidOperationException("The GNN tracker is neither trained nor loaded.");
        if (graph.FeatureCount != network.Options.HandcraftedFeatures)
        {
            throw new ArgumentException($"The cells have {graph.FeatureCount} node features ({string.Join(", ", graph.FeatureNames)}), but the network was trained on {network.Options.HandcraftedFeatures}: 2-D against 3-D data, or another feature set.", nameof(graph));
        }

        using var input = ToTensors(graph);
        using var kernels = Options.OneDnnLinearLayers ? LinearKernels.ForceOneDnn() : null;
        var logits = graph.EdgeCount == 0 ? [] : network.PredictLogits(input);
        var probabilities = logits.Select(z => (float)(1 / (1 + Math.Exp(-z)))).ToArray();
        return new GnnPrediction(graph, probabilities);
    }

    /// <summary>
    /// Tracks one sequence: scores its candidate links (<see cref="Predict(IReadOnlyList{IReadOnlyList{CellFeatures}})"/>)
    /// and decodes them with <see cref="GnnTrackerOptions.Decoding"/> into tracks, a lineage graph and the track label
    /// of every cell (to repaint the masks with).
    /// </summary>
    /// <param name="frames">Per frame, the cells; frames numbered 0, 1, … in order.</param>
    /// <param name="voxelSize">The voxel size, for the spots' physical positions and sizes.</param>
    /// <param name="progress">Receives the decoder's progress.</param>
    /// <param name="cancellationToken">Stops the decoder.</param>
    /// <returns>The tracks.</returns>
    /// <exception cref="InvalidOperationException">The tracker is neither trained nor loaded.</exception>
    public DecodedTracks Track(IReadOnlyList<IReadOnlyList<CellFeatures>> frames, VoxelSize voxelSize, IProgress<GnnDecodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var prediction = Predict(frames);
        var cells = frames.SelectMany(f => f).ToDictionary(c => new GraphNode(c.Frame, c.Label));
        var nodes = prediction.Graph.Nodes.Select(n => Node(cells[n], voxelSize)).ToList();
        var edges = Enumerable.Range(0, prediction.Graph.EdgeCount).Select(e => new CandidateEdge(prediction.Graph.Source(e), prediction.Graph.Target(e))).ToList();
        var scores = new EdgeScores(nodes, edges, [.. prediction.Probabilities.Select(p => (double)p)]);
        return GnnTrackDecoder.Decode(scores, voxelSize, Options.Decoding, progress, cancellationToken);
    }

    /// <summary>Saves the weights as a state dict with the reference's keys.</summary>
    /// <param name="path">The <c>.pth</c> file; replaced if it exists.</param>
    /// <exception cref="InvalidOperationException">The tracker is neither trained nor loaded.</exception>
    public void SaveWeights(string path)
    {
        var network = model ?? throw new InvalidOperationException("The GNN tracker is neither trained nor loaded.");
        using var weights = network.StateDict();
        PthFile.Save(path, weights);
    }

    /// <summary>Saves the weights of the last epoch of the last training (the tracker itself keeps the best epoch's), as the reference's <c>last.ckpt</c>.</summary>
    /// <param name="path">The <c>.pth</c> file; replaced if it exists.</param>
    /// <exception cref="InvalidOperationException">The tracker has not been trained.</exception>
    public void SaveLastEpochWeights(string path)
    {
        var weights = lastEpoch ?? throw new InvalidOperationException("The GNN tracker has not been trained.");
        PthFile.Save(path, weights);
    }

    /// <summary>Releases the network's tensors.</summary>
    public void Dispose()
    {
        model?.Dispose();
        model = null;
        lastEpoch?.Dispose();
        lastEpoch = null;
    }

    /// <summary>The graph as the network's input tensors (labels included when the graph has them).</summary>
    internal static CellTrackGnnGraph ToTensors(CandidateGraph graph)
    {
        var features = Tensor.FromSpan<float>(graph.NodeFeatures, [graph.NodeCount, graph.FeatureCount]);
        var edges = Tensor.FromSpan<long>(graph.EdgeIndex, [2, graph.EdgeCount]);
        var labels = graph.EdgeLabels is { } l ? Tensor.FromSpan<float>(l, [graph.EdgeCount]) : null;
        return new CellTrackGnnGraph(features, null, edges, labels);
    }

    /// <summary>A cell as the decoder sees it: rounded centroid, physical centre and the radius of a ball of its size.</summary>
    private static CellNode Node(CellFeatures cell, VoxelSize voxelSize)
    {
        var (z, y, x) = cell.RoundedCentroid;
        var radius = cell.Dimensions == 3
            ? Math.Cbrt(3.0 * cell.Area / (4 * Math.PI)) * voxelSize.X
            : Math.Sqrt(cell.Area / Math.PI) * voxelSize.X;
        return new CellNode(cell.Frame, checked((int)cell.Label), z, y, x)
        {
            Position = new Point3(cell.Centroid.X * voxelSize.X, cell.Centroid.Y * voxelSize.Y, cell.Centroid.Z * voxelSize.Z),
            Radius = radius,
        };
    }

    private void EnsureModel(int features)
    {
        if (model is null)
        {
            var options = new CellTrackGnnOptions { HandcraftedFeatures = features, UseEmbedding = false };
            model = Options.Seed is int seed ? TorchRuntime.Seeded(unchecked((ulong)seed), () => new CellTrackGnn(options)) : new CellTrackGnn(options);
        }
        else if (model.Options.HandcraftedFeatures != features)
        {
            throw new ArgumentException($"The cells have {features} node features, but the network was made for {model.Options.HandcraftedFeatures}.");
        }
    }

    private IEnumerable<CellTrackGnnGraph> Batches(IReadOnlyList<CandidateGraph> graphs)
    {
        for (var i = 0; i < graphs.Count; i += Options.Optimizer.BatchSize)
        {
            var parts = graphs.Skip(i).Take(Options.Optimizer.BatchSize).Select(ToTensors).ToList();
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

    private static double Mean(IEnumerable<CellTrackGnnGraph> batches, Func<CellTrackGnnGraph, double> step, CancellationToken cancellationToken)
    {
        double sum = 0;
        var count = 0;
        foreach (var batch in batches)
        {
            using (batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sum += step(batch);
                count++;
            }
        }

        return count == 0 ? double.NaN : sum / count;
    }

    private static StateDict Snapshot(Module module)
    {
        var copy = new StateDict();
        using var current = module.StateDict();
        foreach (var (name, tensor) in current)
        {
            copy.Add(name, tensor.Clone());
        }

        return copy;
    }
}
