using System.Diagnostics;
using CellVision.Core.Annotations;
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
/// positions and sizes (<see cref="NodeFeatureSet.Geometry"/>). When the cells carry metric-learning embeddings
/// (<see cref="CellFeatures.Embedding"/>, from a <see cref="CellEmbeddingModel"/>) the network is the reference's full
/// one with its embedding branch; without them, the branch is left out. Not thread-safe: one training or prediction at a time.
/// </remarks>
public sealed class GnnTracker : IDisposable
{
    private CellTrackGnn? model;
    private string networkSource = "the network";
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

    /// <summary>Whether the network reads metric-learning embeddings (false before training or loading).</summary>
    public bool UsesEmbedding => model?.Options.UseEmbedding ?? false;

    /// <summary>
    /// The metric-learning model whose embeddings the network was trained on, kept with the tracker so that cells can be
    /// embedded the same way before <see cref="Track"/>; null when none was attached. The tracker owns and disposes it.
    /// </summary>
    public CellEmbeddingModel? EmbeddingModel { get; private set; }

    /// <summary>Attaches the metric-learning model (see <see cref="EmbeddingModel"/>); the tracker takes ownership and disposes a model attached before.</summary>
    /// <param name="embeddingModel">The model, or null to drop it.</param>
    public void AttachEmbeddingModel(CellEmbeddingModel? embeddingModel)
    {
        if (!ReferenceEquals(EmbeddingModel, embeddingModel))
        {
            EmbeddingModel?.Dispose();
            EmbeddingModel = embeddingModel;
        }
    }

    /// <summary>Creates a tracker holding the weights of a <c>.pth</c> file written by <see cref="SaveWeights"/> (or a reference state dict).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Every setting; null for the reference's. The node features must be those the weights were trained on.</param>
    /// <returns>The tracker; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file is not a readable state dict.</exception>
    public static GnnTracker Load(string path, GnnTrackerOptions? options = null)
    {
        using var weights = PthFile.LoadStateDict(path);
        var tracker = new GnnTracker(options) { networkSource = $"the network of '{path}'" };
        try
        {
            const string first = "handcrafted_node_embedding.fc_layers.0.weight";
            if (!weights.TryGetValue(first, out var encoder) || encoder.Rank != 2)
            {
                throw new PthFormatException($"'{path}' is not a GNN tracker state dict: it has no 2-D '{first}'.");
            }

            // The reference's full network has an encoder for the metric-learning embedding; the geometry-only one has none.
            var embedded = weights.Keys.Any(k => k.StartsWith("learned_node_embedding.", StringComparison.Ordinal));
            tracker.model = new CellTrackGnn(new CellTrackGnnOptions { HandcraftedFeatures = (int)encoder.Size(1), UseEmbedding = embedded });
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
        var graphOptions = Options.Graph with { TrainingLabels = true };
        var windows = sequences.Select(s => TrainingWindows.Create(s, graphOptions, Options.WindowLength)).ToList();
        return TrainOnWindows(windows, nameof(sequences), progress, cancellationToken);
    }

    /// <summary>
    /// Trains the edge classifier on lineages of spots without images (geometry-only mode, e.g. ASTEC lineages from
    /// Mastodon): windows of <see cref="GnnTrackerOptions.WindowLength"/> timepoints with <see cref="NodeFeatureSet.Geometry"/>
    /// features (<see cref="TrainingWindows.CreateFromSpots"/>), the true links giving the labels; otherwise as
    /// <see cref="Train"/> (validation split, early stopping, best weights kept).
    /// </summary>
    /// <param name="lineages">The spots in physical units with their true links, one lineage per sequence.</param>
    /// <param name="progress">Receives every epoch.</param>
    /// <param name="cancellationToken">Stops between batches; the tracker keeps the best weights so far.</param>
    /// <returns>The epochs run and the epoch kept.</returns>
    /// <exception cref="ArgumentException">No lineage spans a window.</exception>
    public GnnTrainingResult TrainOnLineages(IReadOnlyList<LineageGraph> lineages, IProgress<GnnEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lineages);
        var windows = lineages.Select(l => TrainingWindows.CreateFromSpots(l, Options.Graph, Options.WindowLength)).ToList();
        return TrainOnWindows(windows, nameof(lineages), progress, cancellationToken);
    }

    private GnnTrainingResult TrainOnWindows(List<IReadOnlyList<CandidateGraph>> windows, string parameter, IProgress<GnnEpoch>? progress, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var (training, validation) = GnnValidationSplit.Split(windows, Options.ValidationFraction);
        if (training.Count == 0)
        {
            throw new ArgumentException($"The sequences give no training window of {Options.WindowLength} frames.", parameter);
        }

        var embedded = training[0].NodeEmbeddings is not null;
        if (training.Concat(validation).Any(g => g.NodeEmbeddings is not null != embedded))
        {
            throw new ArgumentException("Some sequences' cells carry metric-learning embeddings and others do not; embed all of them or none.", parameter);
        }

        EnsureModel(training[0].FeatureCount, embedded);
        if (Options.Seed is int seed)
        {
            TorchRuntime.ManualSeed(unchecked((ulong)seed));
        }

        var random = Options.Seed is int order ? new Random(order) : new Random();
        using var kernels = Options.OneDnnLinearLayers ? LinearKernels.ForceOneDnn() : null;
        using var trainer = new CellTrackGnnTrainer(model!, Options.Optimizer);
        var epochs = new List<GnnEpoch>();
        StateDict? best = null;
        var trivial = validation.Count > 0 ? TrivialAccuracy(validation) : double.NaN;
        var bestAccuracy = Options.SkipTrivialEpochs && validation.Count > 0 ? trivial : double.NegativeInfinity;
        var bestEpoch = 0;
        var patienceFrom = 0;
        try
        {
            for (var epoch = 1; epoch <= Options.MaxEpochs && epoch - Math.Max(bestEpoch, patienceFrom) <= Options.Patience; epoch++)
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

                if (bestEpoch == 0)
                {
                    // Not yet better than linking nothing: patience waits, and the latest epoch stands in for the best.
                    patienceFrom = epoch;
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

        bestEpoch = bestEpoch == 0 ? epochs.Count : bestEpoch;

        LastTraining = new GnnTrainingResult(epochs, bestEpoch, training.Count, validation.Count, Stopwatch.GetElapsedTime(start)) { TrivialValidationAccuracy = trivial };
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
            throw new ArgumentException($"The cells have {graph.FeatureCount} node features ({string.Join(", ", graph.FeatureNames)}), but {networkSource} was trained on {network.Options.HandcraftedFeatures}: 2-D against 3-D data, or another feature set.", nameof(graph));
        }

        RequireEmbeddingAgreement(network, networkSource, graph.NodeEmbeddings is not null, nameof(graph));

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

    /// <summary>
    /// Tracks a lineage of spots without images (geometry-only mode): scores the candidate links of one graph over all
    /// its spots (<see cref="CandidateGraphBuilder.BuildFromSpots(LineageGraph, CandidateGraphOptions?)"/>) and decodes
    /// them with <see cref="GnnTrackerOptions.Decoding"/>. The lineage's own links are ignored; the result is a new graph
    /// whose spots carry the input spots' positions and sizes; <see cref="DecodedTracks.Nodes"/> name the input spots
    /// (<see cref="CellNode.SegmentLabel"/> = <see cref="Spot.Id"/>).
    /// </summary>
    /// <param name="lineage">The spots, in physical units.</param>
    /// <param name="decoding">The decoder and its settings; null for <see cref="GnnTrackerOptions.Decoding"/>.</param>
    /// <param name="progress">Receives the decoder's progress.</param>
    /// <param name="cancellationToken">Stops the decoder.</param>
    /// <returns>The tracks.</returns>
    /// <exception cref="InvalidOperationException">The tracker is neither trained nor loaded.</exception>
    /// <exception cref="ArgumentException">The lineage has no spots, or the network was trained on other features.</exception>
    public DecodedTracks TrackLineage(LineageGraph lineage, GnnDecodingOptions? decoding = null, IProgress<GnnDecodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lineage);
        var prediction = Predict(CandidateGraphBuilder.BuildFromSpots(lineage, Options.Graph with { TrainingLabels = false }));
        var nodes = prediction.Graph.Nodes.Select(n => SpotNode(lineage.FindSpot(checked((int)n.Label))!)).ToList();
        var edges = Enumerable.Range(0, prediction.Graph.EdgeCount).Select(e => new CandidateEdge(prediction.Graph.Source(e), prediction.Graph.Target(e))).ToList();
        var scores = new EdgeScores(nodes, edges, [.. prediction.Probabilities.Select(p => (double)p)]);
        return GnnTrackDecoder.Decode(scores, VoxelSize.Unit, decoding ?? Options.Decoding, progress, cancellationToken);
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

    /// <summary>Releases the network's tensors and the attached embedding model.</summary>
    public void Dispose()
    {
        model?.Dispose();
        model = null;
        AttachEmbeddingModel(null);
        lastEpoch?.Dispose();
        lastEpoch = null;
    }

    /// <summary>The graph as the network's input tensors (labels included when the graph has them).</summary>
    internal static CellTrackGnnGraph ToTensors(CandidateGraph graph)
    {
        var features = Tensor.FromSpan<float>(graph.NodeFeatures, [graph.NodeCount, graph.FeatureCount]);
        var edges = Tensor.FromSpan<long>(graph.EdgeIndex, [2, graph.EdgeCount]);
        var labels = graph.EdgeLabels is { } l ? Tensor.FromSpan<float>(l, [graph.EdgeCount]) : null;
        var embedding = graph.NodeEmbeddings is { } e ? Tensor.FromSpan<float>(e, [graph.NodeCount, CellEmbeddingNetwork.EmbeddingSize]) : null;
        return new CellTrackGnnGraph(features, embedding, edges, labels);
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

    /// <summary>A spot as the decoder sees it: its physical centre (rounded for the reference decoder) and its equivalent radius.</summary>
    private static CellNode SpotNode(Spot spot)
    {
        var radius = spot.Covariance.EquivalentRadius;
        return new CellNode(spot.Timepoint, spot.Id, (int)Math.Round(spot.Z), (int)Math.Round(spot.Y), (int)Math.Round(spot.X))
        {
            Position = new Point3(spot.X, spot.Y, spot.Z),
            Radius = radius > 0 && double.IsFinite(radius) ? radius : null,
        };
    }


    private static string Capitalised(string text) => string.Concat(text[..1].ToUpperInvariant(), text[1..]);

    private static void RequireEmbeddingAgreement(CellTrackGnn network, string source, bool embedded, string parameter)
    {
        if (network.Options.UseEmbedding != embedded)
        {
            throw new ArgumentException(network.Options.UseEmbedding
                ? $"{Capitalised(source)} was trained with metric-learning embeddings, but the cells carry none; embed them with the tracker's CellEmbeddingModel (AddEmbeddings) first."
                : $"The cells carry metric-learning embeddings, but {source} was trained without them; measure the cells without embeddings or train a network on embedded cells.", parameter);
        }
    }

    private void EnsureModel(int features, bool embedded)
    {
        if (model is null)
        {
            var options = new CellTrackGnnOptions { HandcraftedFeatures = features, UseEmbedding = embedded };
            model = Options.Seed is int seed ? TorchRuntime.Seeded(unchecked((ulong)seed), () => new CellTrackGnn(options)) : new CellTrackGnn(options);
        }
        else if (model.Options.HandcraftedFeatures != features)
        {
            throw new ArgumentException($"The cells have {features} node features, but the network was made for {model.Options.HandcraftedFeatures}.");
        }
        else
        {
            RequireEmbeddingAgreement(model, networkSource, embedded, "sequences");
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

    /// <summary>The validation accuracy of predicting no link at all, averaged over batches as the accuracy is.</summary>
    private double TrivialAccuracy(IReadOnlyList<CandidateGraph> validation)
    {
        var shares = validation.Chunk(Options.Optimizer.BatchSize).Select(batch =>
        {
            var labels = batch.SelectMany(g => g.EdgeLabels ?? []).ToList();
            return labels.Count == 0 ? 1.0 : labels.Count(l => l == 0) / (double)labels.Count;
        });
        return shares.Average();
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
