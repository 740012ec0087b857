using System.Diagnostics;
using CellVision.Networks;
using CellVision.Torch;
using CellVision.Torch.Modules;
using CellVision.Torch.Optimizers;

namespace CellVision.Tracking;

/// <summary>The metric-learning training behind <see cref="CellEmbeddingModel.Train"/> (cell-tracker-gnn's <c>run_train_metric_learning.py</c>).</summary>
internal static class CellEmbeddingTraining
{
    internal static CellEmbeddingModel Run(IReadOnlyList<CellCropSequence> sequences, CellEmbeddingTrainingOptions options, IProgress<CellEmbeddingEpoch>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var start = Stopwatch.GetTimestamp();
        var dataset = Dataset.Create(sequences, options.TrainingPercent);
        var network = options.Seed is int seed
            ? TorchRuntime.Seeded(unchecked((ulong)seed), () => new CellEmbeddingNetwork(dataset.Dimensions))
            : new CellEmbeddingNetwork(dataset.Dimensions);
        var model = new CellEmbeddingModel(network, dataset.MinCell, dataset.MaxCell, dataset.Roi);
        try
        {
            model.LastTraining = Fit(model, dataset, options, progress, cancellationToken) with { Elapsed = Stopwatch.GetElapsedTime(start) };
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static CellEmbeddingTrainingResult Fit(CellEmbeddingModel model, Dataset data, CellEmbeddingTrainingOptions options, IProgress<CellEmbeddingEpoch>? progress, CancellationToken cancellationToken)
    {
        var network = model.Network;
        var random = options.Seed is int seed ? new Random(seed) : new Random();
        var sampler = new CellEmbeddingSampler([.. data.Training.Select(s => s.Id)], options.SamplesPerClass);
        var loss = new MultiSimilarityLoss();
        using var trunkOptimizer = new Adam(network.Trunk.Parameters(), new AdamOptions { LearningRate = options.TrunkLearningRate, WeightDecay = options.WeightDecay });
        using var embedderOptimizer = new Adam(network.Embedder.Parameters(), new AdamOptions { LearningRate = options.EmbedderLearningRate, WeightDecay = options.WeightDecay });
        var validationIds = data.Validation.Select(s => s.Id).ToArray();
        var epochs = new List<CellEmbeddingEpoch>();
        StateDict? best = null;
        var bestScore = double.NegativeInfinity;
        var bestEpoch = 0;
        try
        {
            for (var epoch = 1; epoch <= options.MaxEpochs && (options.Patience is not int patience || epoch - bestEpoch <= patience); epoch++)
            {
                network.Train();
                double sum = 0;
                var steps = 0;
                foreach (var batch in sampler.Batches(random, options.BatchSize))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = DisposeScope.Enter();
                    var input = CellPatchExtractor.Batch([.. batch.Select(i => data.Patch(data.Training[i]))], data.Roi, data.Dimensions);
                    var value = loss.Compute(network.Forward(input), [.. batch.Select(i => data.Training[i].Id)]);
                    trunkOptimizer.ZeroGrad();
                    embedderOptimizer.ZeroGrad();
                    value.Backward();
                    trunkOptimizer.Step();
                    embedderOptimizer.Step();
                    sum += value.ToScalar();
                    steps++;
                }

                var score = double.NaN;
                if (validationIds.Length > 0)
                {
                    var embeddings = model.EmbedPatches(data.Validation.Select(data.Patch), validationIds.Length, options.EvaluationBatchSize, cancellationToken);
                    score = MeanAveragePrecisionAtR.Compute(embeddings, CellEmbeddingNetwork.EmbeddingSize, validationIds);
                }

                var result = new CellEmbeddingEpoch(epoch, steps == 0 ? double.NaN : sum / steps, score);
                epochs.Add(result);
                if (validationIds.Length == 0 || score > bestScore)
                {
                    (bestScore, bestEpoch) = (score, epoch);
                    best?.Dispose();
                    best = Snapshot(network);
                }

                progress?.Report(result);
            }
        }
        finally
        {
            if (best is not null)
            {
                network.LoadStateDict(best);
                best.Dispose();
            }

            network.Eval();
        }

        return new CellEmbeddingTrainingResult(epochs, bestEpoch, data.Training.Count, data.Validation.Count, TimeSpan.Zero);
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

    /// <summary>One cell instance: its sequence, its index there and its id (offset past the earlier sequences' ids).</summary>
    private readonly record struct Sample(int Sequence, int Index, long Id);

    /// <summary>The samples split by id, with the patch settings of each sequence and a cache of the patches made.</summary>
    private sealed class Dataset
    {
        private readonly IReadOnlyList<CellCropSequence> sequences;
        private readonly CellPatchSettings[] settings;
        private readonly Dictionary<Sample, float[]> patches = [];

        private Dataset(IReadOnlyList<CellCropSequence> sequences, CellPatchSettings[] settings, int dimensions, List<Sample> training, List<Sample> validation)
        {
            this.sequences = sequences;
            this.settings = settings;
            Dimensions = dimensions;
            Training = training;
            Validation = validation;
        }

        public int Dimensions { get; }

        public (int Z, int Y, int X) Roi => settings[0].Roi;

        public IReadOnlyList<double> MinCell => [.. settings.Select(s => s.MinCell)];

        public IReadOnlyList<double> MaxCell => [.. settings.Select(s => s.MaxCell)];

        public List<Sample> Training { get; }

        public List<Sample> Validation { get; }

        public static Dataset Create(IReadOnlyList<CellCropSequence> sequences, double trainingPercent)
        {
            if (sequences.Count == 0 || sequences.All(s => s is null || s.Count == 0))
            {
                throw new ArgumentException("The metric-learning training needs at least one sequence with cells.", nameof(sequences));
            }

            var dimensions = sequences.First(s => s.Count > 0).Cells[0].Dimensions;
            var statistics = new CellSequenceStatistics[sequences.Count];
            (int Z, int Y, int X) roi = (1, 1, 1);
            for (var s = 0; s < sequences.Count; s++)
            {
                ArgumentNullException.ThrowIfNull(sequences[s], nameof(sequences));
                if (sequences[s].Cells.FirstOrDefault(c => c.Dimensions != dimensions || c.TrackId == 0) is { } bad)
                {
                    throw new ArgumentException(bad.TrackId == 0
                        ? $"Cell {bad.Label} of frame {bad.Frame} of sequence {s + 1} has no track id; the metric learning needs the ground-truth ids."
                        : $"The sequences mix {dimensions}-D and {bad.Dimensions}-D cells.", nameof(sequences));
                }

                statistics[s] = sequences[s].Statistics();
                if (statistics[s].CellCount > 0 && !(statistics[s].MaxIntensity > statistics[s].MinIntensity))
                {
                    throw new ArgumentException($"The cells of sequence {s + 1} all have intensity {statistics[s].MinIntensity}; patches need a range.", nameof(sequences));
                }

                var e = statistics[s].MaxExtent;
                roi = (dimensions == 3 ? Math.Max(roi.Z, e.Z) : 1, Math.Max(roi.Y, e.Y), Math.Max(roi.X, e.X));
            }

            var settings = statistics.Select(st => new CellPatchSettings(st.MinIntensity, st.MaxIntensity, roi)).ToArray();
            var training = new List<Sample>();
            var validation = new List<Sample>();
            long offset = 0;
            for (var s = 0; s < sequences.Count; s++)
            {
                var cells = sequences[s].Cells;
                if (cells.Count == 0)
                {
                    continue;
                }

                var ids = cells.Select(c => c.TrackId + offset).ToArray();
                var (train, _) = CellEmbeddingSplit.Split(ids, trainingPercent);
                var trainIds = train.ToHashSet();
                for (var i = 0; i < cells.Count; i++)
                {
                    (trainIds.Contains(ids[i]) ? training : validation).Add(new Sample(s, i, ids[i]));
                }

                // The reference offsets each sequence's ids by the largest (offset) id of the sequence before it.
                offset = ids.Max();
            }

            return new Dataset(sequences, settings, dimensions, training, validation);
        }

        public float[] Patch(Sample sample)
        {
            if (!patches.TryGetValue(sample, out var patch))
            {
                patch = sequences[sample.Sequence].Patch(sample.Index, settings[sample.Sequence]);
                patches.Add(sample, patch);
            }

            return patch;
        }
    }
}
