using CellVision.Core.Synthetic;
using CellVision.Torch.Serialization;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>Runs alone: a seeded training's dropout masks come from libtorch's process-wide generator, which tests running beside it would draw from too.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LibtorchGeneratorDefinition
{
    public const string Name = "libtorch's process-wide generator";
}

/// <summary>The GNN tracker's workflow: seeded training, the best epoch kept, weights that survive a file, bad input named.</summary>
[Collection(LibtorchGeneratorDefinition.Name)]
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
            Assert.Throws<InvalidOperationException>(() => tracker.SaveLastEpochWeights(folder["none.pth"]));
            first = tracker.Train([sequence]);
            tracker.SaveWeights(folder["a.pth"]);
            tracker.SaveLastEpochWeights(folder["a-last.pth"]);
        }

        // The last epoch's weights load as a tracker of their own.
        using (var last = GnnTracker.Load(folder["a-last.pth"], Quick))
        {
            Assert.NotNull(last.Model);
        }

        using (var tracker = new GnnTracker(Quick))
        {
            var second = tracker.Train([sequence]);
            tracker.SaveWeights(folder["b.pth"]);
            Assert.Equal(first.Epochs, second.Epochs);
        }

        Assert.Equal(3, first.Epochs.Count);
        Assert.Equal((4, 1), (first.TrainingGraphs, first.ValidationGraphs));
        Assert.InRange(first.TrivialValidationAccuracy, 0.5, 1.0);

        // The kept epoch: the first with the best accuracy among those that beat linking nothing, else the last.
        var useful = first.Epochs.Where(e => e.ValidationAccuracy > first.TrivialValidationAccuracy).ToList();
        var expected = useful.Count == 0 ? first.Epochs[^1].Epoch : useful.First(e => e.ValidationAccuracy == useful.Max(u => u.ValidationAccuracy)).Epoch;
        Assert.Equal(expected, first.BestEpoch);
        using var a = PthFile.LoadStateDict(folder["a.pth"]);
        using var b = PthFile.LoadStateDict(folder["b.pth"]);
        foreach (var key in a.Keys)
        {
            Assert.Equal(a[key].ToArray<float>(), b[key].ToArray<float>());
        }
    }

    [Fact]
    public void Patience_waits_for_an_epoch_that_beats_linking_nothing_unless_the_reference_selection_is_asked_for()
    {
        var sequence = Sequence(seed: 2, timepoints: 8);
        var options = Quick with { MaxEpochs = 6, Patience = 1 };
        GnnTrainingResult skipping, reference;
        using (var tracker = new GnnTracker(options))
        {
            skipping = tracker.Train([sequence]);
        }

        using (var tracker = new GnnTracker(options with { SkipTrivialEpochs = false }))
        {
            reference = tracker.Train([sequence]);
        }

        // Selection does not change training: the same seed gives the same epochs as far as both ran.
        Assert.Equal(reference.Epochs, skipping.Epochs.Take(reference.Epochs.Count));

        // The reference keeps the best accuracy, epoch 1 included, and stops one epoch after it.
        var best = reference.Epochs.First(e => e.ValidationAccuracy == reference.Epochs.Max(r => r.ValidationAccuracy));
        Assert.Equal(best.Epoch, reference.BestEpoch);
        Assert.Equal(Math.Min(best.Epoch + 1, 6), reference.Epochs.Count);

        // Skipping counts patience only from the first epoch above linking nothing.
        var firstUseful = skipping.Epochs.FirstOrDefault(e => e.ValidationAccuracy > skipping.TrivialValidationAccuracy);
        if (firstUseful.Epoch == 0)
        {
            Assert.Equal(6, skipping.Epochs.Count);
            Assert.Equal(6, skipping.BestEpoch);
        }
        else
        {
            Assert.True(skipping.BestEpoch >= firstUseful.Epoch);
            Assert.True(skipping.Epochs[skipping.BestEpoch - 1].ValidationAccuracy > skipping.TrivialValidationAccuracy);
        }
    }

    [Fact]
    public void A_trained_tracker_survives_a_file_and_decodes_tracks_without_two_parents_or_three_children()
    {
        var training = Sequence(seed: 4, timepoints: 8);
        var test = Sequence(seed: 5, timepoints: 6);
        using var folder = new TemporaryFolder();
        using var tracker = new GnnTracker(Quick);
        tracker.Train([training]);
        var prediction = tracker.Predict(test);
        tracker.SaveWeights(folder["gnn.pth"]);
        Assert.Equal(prediction.Graph.EdgeCount, prediction.Probabilities.Count);
        Assert.All(prediction.Probabilities, p => Assert.InRange(p, 0f, 1f));

        using var loaded = GnnTracker.Load(folder["gnn.pth"], Quick);
        Assert.Equal(prediction.Probabilities, loaded.Predict(test).Probabilities);

        var tracks = loaded.Track(test, new Core.Geometry.VoxelSize(0.5, 0.5, 1.0));
        Assert.Equal(test.Sum(f => f.Count), tracks.Graph.SpotCount);
        Assert.All(tracks.Graph.Spots, spot => Assert.True(spot.Incoming.Count <= 1 && spot.Outgoing.Count <= 2));
        Assert.Equal(prediction.Graph.NodeCount, tracks.NodeLabels.Count);
        Assert.All(tracks.NodeLabels, label => Assert.InRange(label, 1, tracks.Tracks.Count));
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
