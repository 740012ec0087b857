using CellVision.Core.Synthetic;
using CellVision.Torch.Serialization;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>The GNN tracker's workflow: seeded training, the best epoch kept, weights that survive a file, bad input named.</summary>
public sealed class GnnTrackerTests
{
    private static readonly GnnTrackerOptions Quick = new() { WindowLength = 4, MaxEpochs = 3, Seed = 3 };

    [Fact]
    public void The_same_seed_trains_the_same_weights_and_the_best_epoch_is_kept()
    {
        var sequence = Sequence(seed: 2, timepoints: 8);
        using var folder = new TemporaryFolder();
        GnnTrainingResult first;
        using (var tracker = new GnnTracker(Quick))
        {
            first = tracker.Train([sequence]);
            tracker.SaveWeights(folder["a.pth"]);
        }

        using (var tracker = new GnnTracker(Quick))
        {
            var second = tracker.Train([sequence]);
            tracker.SaveWeights(folder["b.pth"]);
            Assert.Equal(first.Epochs, second.Epochs);
        }

        Assert.Equal(3, first.Epochs.Count);
        Assert.Equal((4, 1), (first.TrainingGraphs, first.ValidationGraphs));
        var best = first.Epochs.MaxBy(e => e.ValidationAccuracy);
        Assert.Equal(best.Epoch, first.Epochs.First(e => e.ValidationAccuracy == best.ValidationAccuracy).Epoch);
        Assert.Equal(best.Epoch, first.BestEpoch);
        using var a = PthFile.LoadStateDict(folder["a.pth"]);
        using var b = PthFile.LoadStateDict(folder["b.pth"]);
        foreach (var key in a.Keys)
        {
            Assert.Equal(a[key].ToArray<float>(), b[key].ToArray<float>());
        }
    }

    [Fact]
    public void Training_separates_true_links_from_the_other_candidates_and_the_weights_survive_a_file()
    {
        var training = Sequence(seed: 4, timepoints: 14);
        var test = Sequence(seed: 5, timepoints: 6);
        using var folder = new TemporaryFolder();
        using var tracker = new GnnTracker(Quick with { MaxEpochs = 25 });
        tracker.Train([training]);
        var prediction = tracker.Predict(test);
        tracker.SaveWeights(folder["gnn.pth"]);

        // Training labels put the true links first; match the prediction's edges to them by their ends.
        var truth = CandidateGraphBuilder.Build([.. test.SelectMany(f => f)], new CandidateGraphOptions { TrainingLabels = true });
        var isTrue = Enumerable.Range(0, truth.EdgeCount).ToDictionary(e => (truth.Source(e), truth.Target(e)), e => truth.EdgeLabels![e] == 1);
        var graph = prediction.Graph;
        var positives = Enumerable.Range(0, graph.EdgeCount).Where(e => isTrue.GetValueOrDefault((graph.Source(e), graph.Target(e)))).Select(e => prediction.Probabilities[e]).ToList();
        var negatives = Enumerable.Range(0, graph.EdgeCount).Where(e => !isTrue.GetValueOrDefault((graph.Source(e), graph.Target(e)))).Select(e => prediction.Probabilities[e]).ToList();
        Assert.NotEmpty(positives);
        Assert.NotEmpty(negatives);
        Assert.True(positives.Average() > negatives.Average() + 0.3, $"true links {positives.Average():F3}, others {negatives.Average():F3}");

        using var loaded = GnnTracker.Load(folder["gnn.pth"], Quick);
        Assert.Equal(prediction.Probabilities, loaded.Predict(test).Probabilities);
    }

    [Fact]
    public void A_network_for_other_features_or_no_network_is_refused()
    {
        var sequence = Sequence(seed: 6, timepoints: 5);
        using var untrained = new GnnTracker(Quick);
        Assert.Throws<InvalidOperationException>(() => untrained.Predict(sequence));

        using var geometry = new GnnTracker(Quick with { Graph = new CandidateGraphOptions { Features = NodeFeatureSet.Geometry }, MaxEpochs = 1 });
        geometry.Train([sequence]);
        using var folder = new TemporaryFolder();
        geometry.SaveWeights(folder["geometry.pth"]);
        using var handCrafted = GnnTracker.Load(folder["geometry.pth"], Quick);
        var error = Assert.Throws<ArgumentException>(() => handCrafted.Predict(sequence));
        Assert.Contains("node features", error.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => new GnnTracker(Quick).Train([Sequence(seed: 7, timepoints: 3)]));
    }

    /// <summary>A synthetic 3-D time-lapse measured as the tracker measures it, masks standing in for the segmentation and the markers.</summary>
    private static List<IReadOnlyList<CellFeatures>> Sequence(int seed, int timepoints)
    {
        using var movie = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Timepoints = timepoints, Depth = 12, Height = 48, Width = 48, InitialNuclei = 6, Seed = seed });
        return [.. Enumerable.Range(0, timepoints).Select(t => CellFeatureExtractor.ExtractWithTrackIds(movie.Images[t], movie.Masks[t], movie.Masks[t], t))];
    }
}
