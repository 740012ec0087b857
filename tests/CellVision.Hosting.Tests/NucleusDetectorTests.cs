using CellVision.Core.Annotations;
using CellVision.Core.Synthetic;
using CellVision.Detection;
using CellVision.IO.Movies;
using CellVision.Networks;
using CellVision.Torch;
using Microsoft.Extensions.Logging;

namespace CellVision.Hosting.Tests;

/// <summary>A tiny end-to-end run of the detector service: train from tagged spots of a graph, save, load, detect into a graph.</summary>
public class NucleusDetectorTests
{
    private static readonly SyntheticTimeLapseOptions Movie = new() { Timepoints = 2, Depth = 8, Height = 32, Width = 32, InitialNuclei = 3 };

    private static TestHost Host() => new(o =>
    {
        o.DetectionTraining = o.DetectionTraining with { Epochs = 1, CropsPerTimepoint = 1, CropSize = (8, 32, 32), Seed = 0 };
        o.Prediction = o.Prediction with { PatchSize = (8, 32, 32) };
    });

    [Fact]
    public void Trains_from_the_tagged_spots_of_a_graph_saves_loads_and_detects_into_a_graph()
    {
        TorchRuntime.ManualSeed(0);
        using var host = Host();
        using var folder = new TemporaryFolder();
        using var movie = SyntheticTimeLapse.Generate(Movie);
        foreach (var spot in movie.Truth.SpotsAt(0))
        {
            spot.DetectionTag = DetectionTag.TruePositive;
        }

        var detector = host.Get<INucleusDetector>();
        Assert.False(detector.HasWeights);
        var steps = new List<TrainingProgress>();
        var training = detector.Train(movie.Images, movie.Truth, new SynchronousProgress<TrainingProgress>(steps.Add));

        Assert.True(detector.HasWeights);
        Assert.Single(training.EpochLosses);
        Assert.True(double.IsFinite(training.EpochLosses[0]));
        Assert.Equal([0], training.Timepoints);
        Assert.Equal(movie.Truth.SpotsAt(0).Count, training.Annotations);
        Assert.Single(steps);

        detector.SaveWeights(folder["detector.pth"]);
        using var other = Host();
        var loaded = other.Get<INucleusDetector>();
        loaded.LoadWeights(folder["detector.pth"]);
        Assert.True(loaded.HasWeights);

        var graph = new LineageGraph();
        var progress = new List<DetectionProgress>();
        var summary = loaded.Detect(movie.Images, graph, (1, 1), new SynchronousProgress<DetectionProgress>(progress.Add));
        Assert.Equal([1], summary.NucleiByTimepoint.Keys);
        Assert.Equal(summary.Nuclei, graph.SpotCount);
        Assert.All(graph.Spots, s => Assert.Equal(1, s.Timepoint));
        Assert.All(graph.Spots, s => Assert.Equal(DetectionTag.Unlabeled, s.DetectionTag));
        Assert.Equal([new DetectionProgress(1, 1, 1, summary.Nuclei)], progress);

        // The same weights give the same nuclei in the service that trained them (DetectFrame does not merge; Detect
        // merges nuclei closer than the suppression distance as ELEPHANT's client does).
        var patches = new List<PredictionProgress>();
        var again = detector.DetectFrame(movie.Images[1], new SynchronousProgress<PredictionProgress>(patches.Add));
        Assert.Equal(summary.Nuclei, SpotSuppressor.Apply(new LineageGraph(), 1, again).Added);
        Assert.Equal(new PredictionProgress(1, 1), Assert.Single(patches));

        var trainingLog = host.Logs.Of<NucleusDetector>().Select(e => e.Message).ToList();
        Assert.Contains(trainingLog, m => m.StartsWith($"Training the detector on 1 timepoint(s) with {training.Annotations} tagged spot(s): 1 epoch(s) of 1 crop(s) of 8×32×32 voxels", StringComparison.Ordinal));
        Assert.Contains(trainingLog, m => m.StartsWith("Epoch 1 of 1: mean loss ", StringComparison.Ordinal));
        Assert.Contains(trainingLog, m => m.StartsWith("Trained the detector: 1 epoch(s), final loss ", StringComparison.Ordinal));
        Assert.Contains(trainingLog, m => m.StartsWith("Saved detector weights " + folder["detector.pth"], StringComparison.Ordinal));
        Assert.Contains(host.Logs.Of<NucleusDetector>(LogLevel.Warning), e => e.EventId.Id == 2027); // only tp tags: no background voxel

        var detectionLog = other.Logs.Of<NucleusDetector>().Select(e => e.Message).ToList();
        Assert.Contains(detectionLog, m => m.StartsWith("Loaded detector weights " + folder["detector.pth"] + ": ", StringComparison.Ordinal));
        Assert.Contains(detectionLog, m => m == "Detecting nuclei in 1 timepoint(s) (1–1), patches of 8×32×32 voxels, centre probability above 0.5");
        Assert.Contains(detectionLog, m => m.StartsWith($"Timepoint 1: {summary.Nuclei} nuclei in ", StringComparison.Ordinal));
        Assert.Contains(detectionLog, m => m.StartsWith($"Detected {summary.Nuclei} nuclei in 1 timepoint(s) in ", StringComparison.Ordinal));
        Assert.DoesNotContain(other.Logs.Of<NucleusDetector>(), e => e.EventId.Id == 2020); // weights were loaded
    }

    [Fact]
    public void Untagged_annotations_are_refused_and_logged_as_an_error()
    {
        using var host = Host();
        using var movie = SyntheticTimeLapse.Generate(Movie);
        var detector = host.Get<INucleusDetector>();

        var exception = Assert.Throws<ArgumentException>(() => detector.Train(movie.Images, movie.Truth));
        Assert.Contains("nothing to learn", exception.Message, StringComparison.Ordinal);
        var error = Assert.Single(host.Logs.Of<NucleusDetector>(LogLevel.Error));
        Assert.Equal("Training the detector failed", error.Message);
        Assert.Same(exception, error.Exception);
        Assert.False(detector.HasWeights);
    }

    [Fact]
    public void Detecting_without_weights_or_outside_the_movie_is_reported()
    {
        using var host = Host();
        using var movie = SyntheticTimeLapse.Generate(Movie);
        var detector = host.Get<INucleusDetector>();

        Assert.Throws<ArgumentOutOfRangeException>(() => detector.Detect(movie.Images, new LineageGraph(), (1, 2)));
        Assert.Contains(host.Logs.Of<NucleusDetector>(LogLevel.Error), e => e.Exception is ArgumentOutOfRangeException);

        // Detection merges as ELEPHANT's client: an earlier unlabelled prediction at the timepoint is replaced, an
        // annotated spot stays.
        var graph = new LineageGraph();
        var earlierPrediction = graph.AddSpot(0, 1, 1, 1, 1.0);
        var annotated = graph.AddSpot(0, 2, 2, 2, 1.0);
        annotated.DetectionTag = DetectionTag.TruePositive;
        detector.Detect(movie.Images, graph, (0, 0));
        var warnings = host.Logs.Of<NucleusDetector>(LogLevel.Warning).Select(e => e.EventId.Id).ToList();
        Assert.Contains(2020, warnings); // random weights
        Assert.False(graph.Contains(earlierPrediction));
        Assert.True(graph.Contains(annotated));
    }

    [Fact]
    public void Detecting_with_probabilities_gives_the_same_nuclei_and_probabilities_that_sum_to_one()
    {
        using var movie = SyntheticTimeLapse.Generate(Movie);
        using var detector = new NucleusDetector(new NucleusDetectorOptions
        {
            Training = new DetectionTrainingOptions { Seed = 3 },
            Prediction = new PredictionOptions { PatchSize = (8, 32, 32) },
            SpotExtraction = new SpotExtractionOptions { ProbabilityThreshold = 0.05 },
        });
        var plain = detector.DetectFrame(movie.Images[0]);
        float[]? sums = null;
        var withProbabilities = detector.DetectFrameWithProbabilities(movie.Images[0], p =>
        {
            Assert.Equal((8, 32, 32), (p.Centre.Depth, p.Centre.Height, p.Centre.Width));
            sums = [.. Enumerable.Range(0, p.Centre.Length).Select(i => p.Background.Span[i] + p.Border.Span[i] + p.Centre.Span[i])];
        });

        Assert.Equal(plain, withProbabilities, (a, b) => a.X == b.X && a.Y == b.Y && a.Z == b.Z && a.Quality == b.Quality && a.Covariance.SequenceEqual(b.Covariance));
        Assert.NotNull(sums);
        Assert.All(sums, v => Assert.Equal(1f, v, 1e-4f));
        Assert.Throws<ArgumentNullException>(() => detector.DetectFrameWithProbabilities(movie.Images[0], null!));
    }
}
