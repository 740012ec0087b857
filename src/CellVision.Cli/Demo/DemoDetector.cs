using CellVision.Core.Annotations;
using CellVision.Core.Synthetic;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.Networks;

namespace CellVision.Cli.Demo;

/// <summary>Trains ELEPHANT's detector from a few annotated nuclei of the first frame and detects nuclei in every frame.</summary>
internal sealed class DemoDetector : IDisposable
{
    private readonly NucleusDetector detector;

    internal DemoDetector(DemoOptions options, SyntheticTimeLapse movie)
    {
        Annotations = Annotate(movie, options.AnnotatedNuclei);
        Options = DetectorOptions(options, movie.Images[0]);
        detector = new NucleusDetector(Options);
    }

    /// <summary>The nuclei a person would tag at the first timepoint: the first ones fully inside the frame, tagged tp.</summary>
    internal LineageGraph Annotations { get; }

    /// <summary>The detector's settings, the same a user would pass to <c>cellvision detect train|predict</c>.</summary>
    internal NucleusDetectorOptions Options { get; }

    internal IReadOnlyList<double> Train(SyntheticTimeLapse movie, IProgress<TrainingProgress>? progress, Action<int, double> epochDone, CancellationToken cancellationToken)
    {
        detector.ModelUpdated += (_, e) => epochDone(e.Epoch, e.MeanLoss);
        return detector.Train(movie.Images, Annotations, progress, cancellationToken).EpochLosses;
    }

    /// <summary>Detects every timepoint; nuclei closer than 3 µm to one already kept are merged into it, as ELEPHANT's client merges.</summary>
    internal LineageGraph Detect(SyntheticTimeLapse movie, IProgress<int>? framesDone, CancellationToken cancellationToken)
    {
        var graph = new LineageGraph();
        var progress = framesDone is null ? null : new Commands.SynchronousProgress<DetectionProgress>(p => framesDone.Report(p.TimepointsDone));
        detector.Detect(movie.Images, graph, progress: progress, cancellationToken: cancellationToken);
        return graph;
    }

    internal void SaveWeights(string path) => detector.SaveWeights(path);

    public void Dispose() => detector.Dispose();

    private static LineageGraph Annotate(SyntheticTimeLapse movie, int count)
    {
        var image = movie.Images[0];
        var size = image.VoxelSize;
        var annotations = new LineageGraph();
        foreach (var truth in movie.Truth.SpotsAt(0)
            .Where(s => s.X > 4 && s.Y > 4 && s.X < (image.Width * size.X) - 4 && s.Y < (image.Height * size.Y) - 4)
            .Take(count))
        {
            annotations.AddSpot(0, truth.X, truth.Y, truth.Z, truth.Covariance).DetectionTag = DetectionTag.TruePositive;
        }

        return annotations;
    }

    private static NucleusDetectorOptions DetectorOptions(DemoOptions options, Volume<ushort> image)
    {
        // Voxels darker than the median become background labels, so the network sees background from six nuclei.
        using var frame = Normalization.MinMaxToUnit(image);
        var sorted = frame.Span.ToArray();
        Array.Sort(sorted);
        return new NucleusDetectorOptions
        {
            Labels = new LabelOptions { AutoBackgroundThreshold = Normalization.Percentile(sorted, 50) },
            Training = new DetectionTrainingOptions
            {
                CropSize = (Math.Min(options.CropSize.Depth, image.Depth), Math.Min(options.CropSize.Height, image.Height), Math.Min(options.CropSize.Width, image.Width)),
                CropsPerTimepoint = options.CropsPerEpoch, Epochs = options.EffectiveEpochs, Seed = options.Seed,
            },
            Prediction = new PredictionOptions { PatchSize = (image.Depth, image.Height, image.Width) },
            SpotExtraction = new SpotExtractionOptions { MinimumRadius = options.MinimumRadius, ProbabilityThreshold = options.ProbabilityThreshold },
        };
    }
}
