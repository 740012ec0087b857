using System.CommandLine;
using CellVision.Distributed.Operations;
using System.Globalization;
using CellVision.IO.Lineage;
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
        var annotations = new Option<string>("--annotations") { Description = "Annotated spots: lineage CSV (timepoint,x,y,z,radius or covariance,detection_tag) or TrackMate XML (tags in the DETECTION_TAG spot feature); spots tagged tp/fp/tn/fn/tb/fb train", Required = true };
        var modelOut = new Option<string>("--model-out") { Description = "Where to save the trained weights (.pth, ELEPHANT's keys)", Required = true };
        var modelIn = new Option<string?>("--init", "--model-in") { Description = "Continue training these weights (e.g. after proofreading a prediction) instead of starting from a random initialisation" };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs [default: 10; 3 with --init, a retraining after proofreading]" };
        var crops = new Option<int>("--crops") { Description = "Crops per annotated timepoint and epoch", DefaultValueFactory = _ => 5 };
        var cropSize = Parsing.Size("--crop-size", "Training crop Z,Y,X", (16, 256, 256));
        var learningRate = new Option<double?>("--learning-rate") { Description = "Adam learning rate [default: 0.001; 0.0001 with --init, so a retraining refines the model instead of shaking it]" };
        var autoBackground = new Option<double>("--auto-bg-threshold") { Description = "Voxels darker than this (normalised intensity) become background labels; 0 is off", DefaultValueFactory = _ => 0.0 };
        var voxelSize = Parsing.VoxelSize("--voxel-size");
        var seed = new Option<int?>("--seed") { Description = "Seed of the initial weights, crops, augmentation and flips: the same seed gives the same weights (unless --init gives them)" };
        var command = new Command("train", "Train the detector on the annotated timepoints")
        {
            images, annotations, modelOut, modelIn, epochs, crops, cropSize, learningRate, autoBackground, voxelSize, seed,
        };
        command.SetAction(result => context.Guard(() =>
        {
            TorchThreads.UseAvailableCores();
            // Continuing a model after proofreading: a few epochs at a tenth of the learning rate keep what it knew
            // (docs/detection.md, "The incremental loop").
            var continuing = result.GetValue(modelIn) is not null;
            var defaults = continuing ? DetectionTrainingOptions.Retraining : new DetectionTrainingOptions();
            var epochCount = result.GetValue(epochs) ?? defaults.Epochs;
            var rate = result.GetValue(learningRate) ?? defaults.LearningRate;
            if (epochCount < 1 || result.GetValue(crops) < 1)
            {
                return context.Fail("--epochs and --crops must be at least 1.");
            }

            if (!(rate > 0))
            {
                return context.Fail("--learning-rate must be positive.");
            }

            var graph = LineageFiles.Read(result.GetValue(annotations)!);
            var frames = ReadMovie(result.GetValue(images)!, result.GetValue(voxelSize), context.CancellationToken);
            try
            {
                var options = new NucleusDetectorOptions
                {
                    Training = new DetectionTrainingOptions
                    {
                        Epochs = epochCount, CropsPerTimepoint = result.GetValue(crops), CropSize = result.GetValue(cropSize),
                        LearningRate = rate, Seed = result.GetValue(seed),
                    },
                    Labels = new LabelOptions { AutoBackgroundThreshold = result.GetValue(autoBackground) },
                };
                using var detector = result.GetValue(modelIn) is { } initial ? NucleusDetector.Load(initial, options) : new NucleusDetector(options);
                detector.ModelUpdated += (_, e) => context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {e.Epoch}: loss {e.MeanLoss:F4}"));
                var trained = detector.Train(frames, graph, cancellationToken: context.CancellationToken);
                detector.SaveWeights(result.GetValue(modelOut)!);
                context.Console.WriteLine($"trained on {trained.Timepoints.Count} timepoint(s); weights saved to {result.GetValue(modelOut)}");
                return 0;
            }
            finally
            {
                frames.ForEach(f => f.Dispose());
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
        var engine = new EngineOptions();
        var command = new Command("predict", "Detect nuclei in every (or the chosen) timepoint")
        {
            images, model, output, timepoints, threshold, minimumRadius, maximumRadius, suppression, patchSize, median, flips, voxelSize,
        };
        engine.AddTo(command);
        command.SetAction(result => context.Guard(() =>
        {
            TorchThreads.UseAvailableCores();
            if (result.GetValue(suppression) is < 0 or double.NaN)
            {
                return context.Fail("--suppression-distance must not be negative.");
            }

            if (engine.Requested(result))
            {
                if (result.GetValue(timepoints) is not null || result.GetResult(voxelSize) is not null)
                {
                    return context.Fail("--timepoints and --voxel-size are not available with --engine; the job detects every timepoint with the movie's voxel size.");
                }

                var jobOptions = new NucleusDetectorOptions
                {
                    Prediction = new PredictionOptions { PatchSize = result.GetValue(patchSize), SliceWiseMedianCorrection = result.GetValue(median), AverageOverFlips = result.GetValue(flips) },
                    SpotExtraction = new SpotExtractionOptions
                    {
                        ProbabilityThreshold = result.GetValue(threshold), MinimumRadius = result.GetValue(minimumRadius), MaximumRadius = result.GetValue(maximumRadius),
                    },
                    Suppression = new SuppressionOptions { SuppressionDistance = result.GetValue(suppression) },
                };
                var spots = result.GetValue(output)!;
                return engine.Run(NucleusDetectionOperation.CreatePlan(result.GetValue(images)!, result.GetValue(model)!, spots + ".job", jobOptions, spotsFile: spots), result, context);
            }

            var frames = ReadMovie(result.GetValue(images)!, result.GetValue(voxelSize), context.CancellationToken);
            try
            {
                var (first, last) = Range(result.GetValue(timepoints), frames.Count);
                var options = new NucleusDetectorOptions
                {
                    Prediction = new PredictionOptions { PatchSize = result.GetValue(patchSize), SliceWiseMedianCorrection = result.GetValue(median), AverageOverFlips = result.GetValue(flips) },
                    SpotExtraction = new SpotExtractionOptions
                    {
                        ProbabilityThreshold = result.GetValue(threshold), MinimumRadius = result.GetValue(minimumRadius), MaximumRadius = result.GetValue(maximumRadius),
                    },
                    Suppression = new SuppressionOptions { SuppressionDistance = result.GetValue(suppression) },
                };
                using var detector = NucleusDetector.Load(result.GetValue(model)!, options);
                var graph = new LineageGraph();
                var progress = new SynchronousProgress<DetectionProgress>(p => context.Console.WriteLine($"timepoint {p.Timepoint}: {graph.SpotsAt(p.Timepoint).Count} nuclei"));
                detector.Detect(frames, graph, (first, last), progress, context.CancellationToken);
                var written = LineageFiles.Write(graph, result.GetValue(output)!, frames[0], frames.Count, Path.GetFileName(result.GetValue(images)!));
                context.Console.WriteLine($"{graph.SpotCount} nuclei written to {string.Join(" and ", written)}");
                return 0;
            }
            finally
            {
                frames.ForEach(f => f.Dispose());
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
