using CellVision.Tracking;
using Xunit.Abstractions;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>
/// The metric-learning training on a tiny 2-D scene (the loss falls, the kept epoch is the best validation MAP@R, the
/// same seed repeats itself), and the GNN tracker trained and run on cells that carry the embeddings.
/// </summary>
[Collection(LibtorchGeneratorDefinition.Name)]
public sealed class DmlTrainingTests(ITestOutputHelper output)
{
    // Faster learning rates than the reference's 1e-5 / 1e-4, so that a dozen epochs show learning.
    private static readonly CellEmbeddingTrainingOptions Quick = new() { MaxEpochs = 10, Seed = 3, TrunkLearningRate = 1e-3, EmbedderLearningRate = 1e-3 };

    [Fact]
    public void Training_lowers_the_loss_and_keeps_the_best_validation_epoch()
    {
        var (frames, crops) = DmlScene.Create(cells: 10, frames: 10, seed: 1);
        using var model = CellEmbeddingModel.Train([crops], Quick);
        var result = model.LastTraining!;
        foreach (var epoch in result.Epochs)
        {
            output.WriteLine($"epoch {epoch.Epoch}: loss {epoch.TrainingLoss:F4}, MAP@R {epoch.ValidationMapAtR:F4}");
        }

        // Ids 1..8 hold exactly 80 % of the samples.
        Assert.Equal((80, 20), (result.TrainingSamples, result.ValidationSamples));
        Assert.Equal(10, result.Epochs.Count);
        Assert.True(result.Epochs.Skip(7).Average(e => e.TrainingLoss) < result.Epochs[0].TrainingLoss, "the loss falls");
        var best = result.Epochs.First(e => e.ValidationMapAtR == result.Epochs.Max(x => x.ValidationMapAtR));
        Assert.Equal(best.Epoch, result.BestEpoch);
        Assert.Equal(crops.Statistics().MinIntensity, model.MinCell[0]);
        Assert.Equal((1, crops.Statistics().MaxExtent.Y, crops.Statistics().MaxExtent.X), model.Roi);

        // The kept weights embed the validation cells with the MAP@R recorded for their epoch.
        var validation = Enumerable.Range(0, crops.Count).Where(i => crops.Cells[i].TrackId > 8).ToList();
        var embedded = model.AddEmbeddings(frames, crops);
        var rows = validation.Select(i => embedded.SelectMany(f => f).Single(c => c.Frame == crops.Cells[i].Frame && c.Label == crops.Cells[i].Label).Embedding!).ToList();
        Assert.All(rows, row => Assert.Equal(1.0, Math.Sqrt(row.Sum(v => (double)v * v)), 4));
        var score = Networks.MeanAveragePrecisionAtR.Compute(rows.SelectMany(r => r).ToArray(), 128, [.. validation.Select(i => (long)crops.Cells[i].TrackId)]);
        Assert.Equal(best.ValidationMapAtR, score, 4);

        // The same seed gives the same epochs.
        using var again = CellEmbeddingModel.Train([crops], Quick with { MaxEpochs = 2 });
        Assert.Equal(result.Epochs.Take(2), again.LastTraining!.Epochs);

        // Patience stops training after that many epochs without a better MAP@R.
        using var patient = CellEmbeddingModel.Train([crops], Quick with { MaxEpochs = 10, Patience = 1 });
        Assert.InRange(patient.LastTraining!.Epochs.Count, 2, 10);
        Assert.True(patient.LastTraining.Epochs.Count == 10 || patient.LastTraining.Epochs.Count - patient.LastTraining.BestEpoch == 1);
    }

    [Fact]
    public void The_GNN_tracker_trains_and_predicts_with_embeddings_and_refuses_cells_without_them()
    {
        var (frames, crops) = DmlScene.Create(cells: 6, frames: 8, seed: 2);
        using var model = CellEmbeddingModel.Train([crops], Quick with { MaxEpochs = 1 });
        var embedded = model.AddEmbeddings(frames, crops);
        var options = new GnnTrackerOptions { WindowLength = 4, MaxEpochs = 2, Seed = 3 };
        using var folder = new TemporaryFolder();
        using var tracker = new GnnTracker(options);
        tracker.Train([embedded]);
        Assert.True(tracker.UsesEmbedding);
        var prediction = tracker.Predict(embedded);
        Assert.NotNull(prediction.Graph.NodeEmbeddings);
        Assert.All(prediction.Probabilities, p => Assert.InRange(p, 0f, 1f));
        tracker.SaveWeights(folder["gnn.pth"]);

        using var loaded = GnnTracker.Load(folder["gnn.pth"], options);
        Assert.True(loaded.UsesEmbedding);
        Assert.Equal(prediction.Probabilities, loaded.Predict(embedded).Probabilities);
        var tracks = loaded.Track(embedded, Core.Geometry.VoxelSize.Unit);
        Assert.Equal(embedded.Sum(f => f.Count), tracks.Graph.SpotCount);

        var error = Assert.Throws<ArgumentException>(() => loaded.Predict(frames));
        Assert.Contains("embeddings", error.Message, StringComparison.Ordinal);
        using var plain = new GnnTracker(options);
        plain.Train([frames]);
        Assert.False(plain.UsesEmbedding);
        Assert.Throws<ArgumentException>(() => plain.Predict(embedded));

        // Some cells with an embedding and some without is refused by name.
        var mixed = embedded.Select((f, t) => t == 0 ? frames[0] : f).ToList();
        Assert.Throws<ArgumentException>(() => new GnnTracker(options).Train([mixed]));
    }
}
