using System.CommandLine;
using System.Globalization;
using CellVision.Core.Annotations;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.IO.Movies;
using CellVision.Networks;
using CellVision.Torch.Serialization;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary><c>cellvision detect train|predict</c>: ELEPHANT's nucleus detector from annotated ellipsoids.</summary>
internal static class DetectCommand
{
    internal static Command Create(CommandContext context)
    {
        var command = new Command("detect", "Train ELEPHANT's 3D U-Net nucleus detector from annotated ellipsoids, or detect nuclei with it");
        command.Subcommands.Add(Train(context));
        command.Subcommands.Add(Predict(context));
        return command;
    }

    private static Option<string> Images() => new("--images") { Description = "The movie: TIFF, TIFF sequence, BDV XML, Zarr, OME-Zarr or CTC folder", Required = true };

    private static Command Train(CommandContext context)
    {
        var images = Images();
        var annotations = new Option<string>("--annotations") { Description = "Annotated spots: lineage CSV (timepoint,x,y,z,radius or covariance,detection_tag) or TrackMate XML; spots tagged tp/fp/tn/fn/tb/fb train", Required = true };
        var modelOut = new Option<string>("--model-out") { Description = "Where to save the trained weights (.pth, ELEPHANT's keys)", Required = true };
        var modelIn = new Option<string?>("--model-in") { Description = "Start from these weights instead of a random initialisation" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs", DefaultValueFactory = _ => 10 };
        var crops = new Option<int>("--crops") { Description = "Crops per annotated timepoint and epoch", DefaultValueFactory = _ => 5 };
        var cropSize = Parsing.Size("--crop-size", "Training crop Z,Y,X", (16, 256, 256));
        var learningRate = new Option<double>("--learning-rate") { Description = "Adam learning rate", DefaultValueFactory = _ => 0.001 };
        var autoBackground = new Option<double>("--auto-bg-threshold") { Description = "Voxels darker than this (normalised intensity) become background labels; 0 is off", DefaultValueFactory = _ => 0.0 };
        var voxelSize = Parsing.VoxelSize("--voxel-size");
        var seed = new Option<int?>("--seed") { Description = "Seed for reproducible training" };
        var command = new Command("train", "Train the detector on the annotated timepoints")
        {
            images, annotations, modelOut, modelIn, epochs, crops, cropSize, learningRate, autoBackground, voxelSize, seed,
        };
        command.SetAction(result => context.Guard(() =>
        {
            if (result.GetValue(epochs) < 1 || result.GetValue(crops) < 1)
            {
                return context.Fail("--epochs and --crops must be at least 1.");
            }

            var graph = LineageFiles.Read(result.GetValue(annotations)!);
            var annotatedTimepoints = graph.Spots.Where(s => s.DetectionTag != DetectionTag.Unlabeled).Select(s => s.Timepoint).Distinct().Order().ToList();
            if (annotatedTimepoints.Count == 0)
            {
                return context.Fail("no spot is tagged (tp, fp, tn, fn, tb or fb), so there is nothing to learn from.");
            }

            var frames = ReadMovie(result.GetValue(images)!, result.GetValue(voxelSize), context.CancellationToken);
            var training = new List<TrainingFrame>();
            try
            {
                foreach (var t in annotatedTimepoints)
                {
                    if (t >= frames.Count)
                    {
                        return context.Fail($"annotations name timepoint {t}, but the movie has {frames.Count} timepoints.");
                    }

                    var normalised = Normalization.MinMaxToUnit(frames[t]);
                    var spots = graph.TrainingAnnotations(t);
                    var labels = LabelGenerator.Generate((normalised.Depth, normalised.Height, normalised.Width), normalised.VoxelSize, spots,
                        new LabelOptions { AutoBackgroundThreshold = result.GetValue(autoBackground) }, normalised);
                    training.Add(new TrainingFrame(normalised, labels));
                }

                using var model = new DetectionUNet();
                if (result.GetValue(modelIn) is { } initial)
                {
                    using var weights = PthFile.LoadStateDict(initial);
                    model.LoadStateDict(weights);
                }

                var options = new DetectionTrainingOptions
                {
                    Epochs = result.GetValue(epochs), CropsPerTimepoint = result.GetValue(crops), CropSize = result.GetValue(cropSize),
                    LearningRate = result.GetValue(learningRate), Seed = result.GetValue(seed),
                };
                using var trainer = new DetectionTrainer(model, KeepAxials.FromVoxelSize(frames[0].VoxelSize), options);
                trainer.ModelUpdated += (_, e) => context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {e.Epoch}: loss {e.MeanLoss:F4}"));
                trainer.Train(training, cancellationToken: context.CancellationToken);
                using var trained = model.StateDict();
                PthFile.Save(result.GetValue(modelOut)!, trained);
                context.Console.WriteLine($"trained on {annotatedTimepoints.Count} timepoint(s); weights saved to {result.GetValue(modelOut)}");
                return 0;
            }
            finally
            {
                frames.ForEach(f => f.Dispose());
                training.ForEach(f =>
                {
                    f.Normalised.Dispose();
                    f.Labels.Dispose();
                });
            }
        }));
        return command;
    }

    private static Command Predict(CommandContext context)
    {
        var images = Images();
        var model = new Option<string>("--model") { Description = "Detector weights (.pth with ELEPHANT's keys; a list of state dicts is an ensemble whose probabilities are averaged)", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the nuclei: .csv (lineage table) or .xml (TrackMate)", Required = true };
        var timepoints = new Option<string?>("--timepoints") { Description = "First and last timepoint, e.g. 0-9 [default: all]" };
        var threshold = new Option<double>("--threshold") { Description = "Centre probability a voxel must exceed", DefaultValueFactory = _ => 0.5 };
        var minimumRadius = new Option<double>("--rmin") { Description = "Smallest nucleus radius kept (µm)", DefaultValueFactory = _ => 1.0 };
        var maximumRadius = new Option<double>("--rmax") { Description = "Largest nucleus radius; longer axes are clipped (µm)", DefaultValueFactory = _ => 5.0 };
        var patchSize = Parsing.Size("--patch-size", "Prediction patch Z,Y,X", (24, 384, 384));
        var suppression = new Option<double>("--suppression-distance") { Description = "A nucleus closer than this (µm) to one already found is merged into it, the larger ellipsoid kept", DefaultValueFactory = _ => 3.0 };
        var median = new Option<bool>("--median-correction") { Description = "Apply slice-wise median correction before prediction" };
        var flips = new Option<bool>("--flips") { Description = "Average the probabilities over the eight mirror images of each patch (eight times the work)" };
        var voxelSize = Parsing.VoxelSize("--voxel-size");
        var command = new Command("predict", "Detect nuclei in every (or the chosen) timepoint")
        {
            images, model, output, timepoints, threshold, minimumRadius, maximumRadius, suppression, patchSize, median, flips, voxelSize,
        };
        command.SetAction(result => context.Guard(() =>
        {
            if (result.GetValue(suppression) is < 0 or double.NaN)
            {
                return context.Fail("--suppression-distance must not be negative.");
            }

            var frames = ReadMovie(result.GetValue(images)!, result.GetValue(voxelSize), context.CancellationToken);
            IReadOnlyList<DetectionUNet> networks = [];
            try
            {
                var (first, last) = Range(result.GetValue(timepoints), frames.Count);
                networks = DetectionUNet.LoadEnsemble(result.GetValue(model)!);
                var predictor = new DetectionPredictor(networks, KeepAxials.FromVoxelSize(frames[0].VoxelSize));
                var predictionOptions = new PredictionOptions { PatchSize = result.GetValue(patchSize), SliceWiseMedianCorrection = result.GetValue(median), AverageOverFlips = result.GetValue(flips) };
                var spotOptions = new SpotExtractionOptions
                {
                    ProbabilityThreshold = result.GetValue(threshold), MinimumRadius = result.GetValue(minimumRadius), MaximumRadius = result.GetValue(maximumRadius),
                };
                var graph = new LineageGraph();
                for (var t = first; t <= last; t++)
                {
                    using var frame = Normalization.MinMaxToUnit(frames[t]);
                    var predicted = predictor.Detect(frame, predictionOptions, spotOptions, cancellationToken: context.CancellationToken);
                    SpotSuppressor.Apply(graph, t, predicted, new SuppressionOptions { SuppressionDistance = result.GetValue(suppression) });
                    context.Console.WriteLine($"timepoint {t}: {graph.SpotsAt(t).Count} nuclei");
                }

                var written = LineageFiles.Write(graph, result.GetValue(output)!, frames[0], frames.Count, Path.GetFileName(result.GetValue(images)!));
                context.Console.WriteLine($"{graph.SpotCount} nuclei written to {string.Join(" and ", written)}");
                return 0;
            }
            finally
            {
                frames.ForEach(f => f.Dispose());
                foreach (var network in networks)
                {
                    network.Dispose();
                }
            }
        }));
        return command;
    }

    internal static List<Volume<ushort>> ReadMovie(string path, Core.Geometry.VoxelSize? voxelSize, CancellationToken cancellationToken)
    {
        var frames = MovieFiles.Read(path, MovieFiles.Guess(path, forWriting: false), cancellationToken);
        if (voxelSize is { } size)
        {
            frames.ForEach(f => f.VoxelSize = size);
        }

        return frames;
    }

    internal static (int First, int Last) Range(string? text, int count)
    {
        if (text is null)
        {
            return (0, count - 1);
        }

        var parts = text.Split('-');
        if (parts.Length is 1 or 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var last) && first <= last && last < count)
        {
            return (first, last);
        }

        throw new ArgumentException($"--timepoints '{text}' is not a range FIRST-LAST within 0-{count - 1}.");
    }
}
