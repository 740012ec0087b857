using System.CommandLine;
using CellVision.Segmentation;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>compare-ffn</c>: <see cref="FfnSpeed"/>.</summary>
internal static class FfnSpeedCommand
{
    internal static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The FIB-25 medulla training_sample2 folder (derived/raw_zyx_uint8.tif, derived/gt_bodies_zyx_uint16.tif)", HelpName = "FOLDER", DefaultValueFactory = _ => "../shared/data/fib25-medulla-ts2" };
        var model = new Option<string?>("--model") { Description = "Weights saved by FloodFillNetwork.Save / cellvision ffn train; without it a fresh seeded network of --depth, --features, --fov and --deltas", HelpName = "PATH" };
        var reference = new Option<string>("--reference") { Description = "The reference script benchmarks/compare/ffn.py, or none for CellVision's numbers only", HelpName = "PATH", DefaultValueFactory = _ => FfnSpeed.DefaultReference() };
        var rounds = CommonSymbols.RoundsOption(3, "Rounds, each running the reference once per measure and CellVision once; medians are compared");
        var threads = CommonSymbols.TorchThreadsOption();
        var seed = new Option<int>("--seed") { Description = "Seed of the fresh network, the training inputs and the training coordinates", DefaultValueFactory = _ => 1 };
        var blockStart = SizeList.NonNegativeOption("--block-start", "Z,Y,X", "Corner of the segmented block", 150, 75, 75);
        var blockSize = SizeList.Option("--block-size", "Z,Y,X", "Size of the segmented block", 100, 100, 100);
        var wholeVolume = new Option<bool>("--whole-volume") { Description = "CellVision only: segment the whole volume once and print its time and peak working set (run it on its own, so that the peak is the segmentation's)" };
        var defaults = new FloodFillInferenceOptions();
        var imageMean = new Option<double>("--image-mean") { Description = "Image mean of the normalisation", DefaultValueFactory = _ => defaults.ImageMean };
        var imageStd = new Option<double>("--image-stddev") { Description = "Image standard deviation of the normalisation", DefaultValueFactory = _ => defaults.ImageStandardDeviation };
        var initialActivation = new Option<double>("--init-activation") { Description = "Mask probability at a new seed", DefaultValueFactory = _ => defaults.InitialActivation };
        var padValue = new Option<double>("--pad-value") { Description = "Mask probability where nothing was predicted yet", DefaultValueFactory = _ => defaults.PadValue };
        var moveThreshold = new Option<double>("--move-threshold") { Description = "Probability a face maximum needs for a move", DefaultValueFactory = _ => defaults.MoveThreshold };
        var segmentThreshold = new Option<double>("--segment-threshold") { Description = "Mask probability that makes a voxel part of the object", DefaultValueFactory = _ => defaults.SegmentThreshold };
        var minimumSize = new Option<int>("--min-segment-size") { Description = "Objects with fewer new voxels are rejected", DefaultValueFactory = _ => defaults.MinimumSegmentSize };
        var boundary = SizeList.NonNegativeOption("--min-boundary-dist", "Z,Y,X", "Seeds this close to a segmented voxel are skipped", defaults.MinimumBoundaryDistance.Z, defaults.MinimumBoundaryDistance.Y, defaults.MinimumBoundaryDistance.X);
        var disco = new Option<double>("--disco-seed-threshold") { Description = "Disconnected-seed bias threshold (negative: off)", DefaultValueFactory = _ => defaults.DisconnectedSeedThreshold };
        var batchSize = new Option<int>("--batch-size") { Description = "Training batch", DefaultValueFactory = _ => 4 }.AtLeast(1);
        var trainSteps = new Option<int>("--train-steps") { Description = "Timed training steps per round (0: no training measures)", DefaultValueFactory = _ => 10 }.AtLeast(0);
        var learningRate = new Option<double>("--learning-rate") { Description = "SGD learning rate", DefaultValueFactory = _ => 0.001 };
        var clip = new Option<double>("--clip") { Description = "Gradient entries are clipped to ± this", DefaultValueFactory = _ => 0.7 };
        var depth = new Option<int>("--depth") { Description = "Fresh network: convolution modules (the published model: 12)", DefaultValueFactory = _ => 6 }.AtLeast(1);
        var features = new Option<int>("--features") { Description = "Fresh network: feature maps (the published model: 32)", DefaultValueFactory = _ => 16 }.AtLeast(1);
        var fov = SizeList.Option("--fov", "Z,Y,X", "Fresh network: field of view, odd (the published model: 33,33,33)", 25, 25, 25);
        var deltas = SizeList.NonNegativeOption("--deltas", "Z,Y,X", "Fresh network: move step (the published model: 8,8,8)", 6, 6, 6);
        var lomBias = new Option<double>("--lom-bias") { Description = "Fresh network: added to the conv_lom bias, so that the untrained mask spreads and the field of view moves (0: the initialisation's zero bias, which rarely leaves the seed)", DefaultValueFactory = _ => 0 };
        var command = new Command("compare-ffn", "Flood-filling network inference on a FIB-25 block and training steps beside the plain-PyTorch/NumPy transcription of google/ffn (steps/s, voxels/s, peak memory)")
        {
            data, model, reference, rounds, threads, seed, blockStart, blockSize, wholeVolume,
            imageMean, imageStd, initialActivation, padValue, moveThreshold, segmentThreshold, minimumSize, boundary, disco,
            batchSize, trainSteps, learningRate, clip, depth, features, fov, deltas, lomBias,
        };
        command.SetAction(result =>
        {
            static (int Z, int Y, int X) Zyx(SizeList list) => (list.Values[0], list.Values[1], list.Values[2]);
            var settings = new FfnSpeedSettings
            {
                Data = result.GetValue(data)!,
                Model = result.GetValue(model),
                Reference = result.GetValue(reference)!,
                Rounds = result.GetValue(rounds),
                Threads = result.GetValue(threads),
                Seed = result.GetValue(seed),
                BlockStart = Zyx(result.GetValue(blockStart)!),
                BlockSize = Zyx(result.GetValue(blockSize)!),
                WholeVolume = result.GetValue(wholeVolume),
                Inference = new FloodFillInferenceOptions
                {
                    ImageMean = result.GetValue(imageMean),
                    ImageStandardDeviation = result.GetValue(imageStd),
                    InitialActivation = result.GetValue(initialActivation),
                    PadValue = result.GetValue(padValue),
                    MoveThreshold = result.GetValue(moveThreshold),
                    SegmentThreshold = result.GetValue(segmentThreshold),
                    MinimumSegmentSize = result.GetValue(minimumSize),
                    MinimumBoundaryDistance = Zyx(result.GetValue(boundary)!),
                    DisconnectedSeedThreshold = result.GetValue(disco),
                }.Validate(),
                BatchSize = result.GetValue(batchSize),
                TrainSteps = result.GetValue(trainSteps),
                LearningRate = result.GetValue(learningRate),
                Clip = result.GetValue(clip),
                FreshNetwork = new FloodFillNetworkOptions
                {
                    Depth = result.GetValue(depth),
                    Features = result.GetValue(features),
                    FieldOfView = Zyx(result.GetValue(fov)!),
                    Deltas = Zyx(result.GetValue(deltas)!),
                },
                FreshLomBias = result.GetValue(lomBias),
            };
            return FfnSpeed.Run(settings);
        });
        return command;
    }
}
