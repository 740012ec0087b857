using CellVision.Cli.Commands;
using CellVision.Core.Annotations;
using CellVision.Core.Synthetic;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.Networks;

namespace CellVision.Cli.Demo;

/// <summary>Trains ELEPHANT's detector from a few annotated nuclei of the first frame and detects nuclei in every frame.</summary>
internal sealed class DemoDetector(DemoOptions options) : IDisposable
{
    private readonly DetectionUNet model = new();

    internal IReadOnlyList<double> Train(SyntheticTimeLapse movie, IProgress<TrainingProgress>? progress, Action<int, double> epochDone, CancellationToken cancellationToken)
    {
        var image = movie.Images[0];
        using var frame = Normalization.MinMaxToUnit(image);

        // A person would click a handful of clearly visible nuclei: the first ones fully inside the frame.
        var size = image.VoxelSize;
        var annotated = movie.Truth.SpotsAt(0)
            .Where(s => s.X > 4 && s.Y > 4 && s.X < (image.Width * size.X) - 4 && s.Y < (image.Height * size.Y) - 4)
            .Take(options.AnnotatedNuclei)
            .Select(s => new AnnotatedSpot(s.X, s.Y, s.Z, s.Covariance.ToRowMajor(), DetectionTag.TruePositive))
            .ToList();
        var sorted = frame.Span.ToArray();
        Array.Sort(sorted);
        var labelOptions = new LabelOptions { AutoBackgroundThreshold = Normalization.Percentile(sorted, 50) };
        using var labels = LabelGenerator.Generate((frame.Depth, frame.Height, frame.Width), size, annotated, labelOptions, frame);

        var crop = (Math.Min(options.CropSize.Depth, frame.Depth), Math.Min(options.CropSize.Height, frame.Height), Math.Min(options.CropSize.Width, frame.Width));
        var trainingOptions = new DetectionTrainingOptions
        {
            CropSize = crop, CropsPerTimepoint = options.CropsPerEpoch, Epochs = options.EffectiveEpochs, Seed = options.Seed,
        };
        using var trainer = new DetectionTrainer(model, KeepAxials.FromVoxelSize(image.VoxelSize), trainingOptions);
        trainer.ModelUpdated += (_, e) => epochDone(e.Epoch, e.MeanLoss);
        return trainer.Train([new TrainingFrame(frame, labels)], progress, cancellationToken);
    }

    internal LineageGraph Detect(SyntheticTimeLapse movie, IProgress<int>? framesDone, CancellationToken cancellationToken)
    {
        var graph = new LineageGraph();
        var predictor = new DetectionPredictor(model, KeepAxials.FromVoxelSize(movie.Images[0].VoxelSize));
        for (var t = 0; t < movie.Images.Count; t++)
        {
            var image = movie.Images[t];
            using var frame = Normalization.MinMaxToUnit(image);
            var predictionOptions = new PredictionOptions { PatchSize = (frame.Depth, frame.Height, frame.Width) };
            // Merged as ELEPHANT's client merges a prediction: nuclei closer than 3 µm to one already kept are dropped
            // (the larger of the two ellipsoids stays).
            var predicted = predictor.Detect(frame, predictionOptions, new SpotExtractionOptions { MinimumRadius = options.MinimumRadius, ProbabilityThreshold = options.ProbabilityThreshold }, cancellationToken: cancellationToken);
            SpotSuppressor.Apply(graph, t, predicted);
            framesDone?.Report(t + 1);
        }

        return graph;
    }

    public void Dispose() => model.Dispose();
}
