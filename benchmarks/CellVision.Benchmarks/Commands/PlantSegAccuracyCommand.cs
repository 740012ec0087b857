using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>plantseg-accuracy</c>: <see cref="PlantSegAccuracy"/>.</summary>
internal static class PlantSegAccuracyCommand
{
    internal static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Folder of the ovule crop's raw and label TIFFs", DefaultValueFactory = _ => "../shared/data/plantseg-ovule-mini/derived" };
        var nuclei = new Option<int>("--nuclei") { Description = "Nuclei annotated from their instance masks", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var pick = new Option<string>("--pick") { Description = "Which instances may be annotated: large (at least the median size) or all", DefaultValueFactory = _ => "large" };
        pick.AcceptOnlyFromAmong("large", "all");
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 20 }.AtLeast(1);
        var crops = new Option<int>("--crops") { Description = "Training crops per epoch", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var crop = SizeList.Option("--crop", "D,H,W", "Training crop", 32, 64, 64);
        var patch = SizeList.Option("--patch", "D,H,W", "Prediction patch (ELEPHANT's default)", 24, 384, 384);
        var minimumRadius = new Option<double>("--rmin") { Description = "Smallest radius a detection keeps (µm)", DefaultValueFactory = _ => 0.5 };
        var backgroundPercentile = new Option<double>("--bg-percentile") { Description = "Percentile of the intensities below which voxels become background labels", DefaultValueFactory = _ => 40 };
        var learningRate = new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 0.001 };
        var scale = new Option<double>("--scale") { Description = "Scale augmentation", DefaultValueFactory = _ => 0 };
        var rotation = new Option<int>("--rotation") { Description = "Rotation augmentation", DefaultValueFactory = _ => 0 };
        var contrast = new Option<double>("--contrast") { Description = "Contrast augmentation", DefaultValueFactory = _ => 0 };
        var prior = new Option<int>("--prior") { Description = "Crops per learning rate of prior training before the annotations; 0 skips it", HelpName = "N", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var seed = new Option<int>("--seed") { Description = "Seed of libtorch and of the training crops", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var threads = CommonSymbols.TorchThreadsOption();
        var pad = ZeroOrOne("--pad", "Replicate padding in prediction", 1);
        var flips = ZeroOrOne("--flips", "Average the prediction over mirror images", 0);
        var probe = ZeroOrOne("--probe", "Print what the network predicts on crops around the annotated nuclei", 0);
        var save = new Option<string?>("--save") { Description = "Save the weights after each epoch; a {epoch} in it keeps one file per epoch", HelpName = "PATH" };
        var init = new Option<string?>("--init") { Description = "Continue training from these weights", HelpName = "PATH" };
        var load = new Option<string?>("--load") { Description = "Score these weights without training; several comma-separated files are averaged as an ensemble", HelpName = "PATH[,PATH...]" };
        var command = new Command("plantseg-accuracy", "Sparse-annotation accuracy on the PlantSeg ovule crop: annotate a few nuclei, train the detection U-Net, score precision, recall and F1")
        {
            data, nuclei, pick, epochs, crops, crop, patch, minimumRadius, backgroundPercentile, learningRate, scale, rotation, contrast, prior, seed, threads, pad, flips, probe, save, init, load,
        };
        command.SetAction(result => PlantSegAccuracy.Run(new PlantSegAccuracySettings
        {
            Data = result.GetValue(data)!,
            Nuclei = result.GetValue(nuclei),
            Pick = result.GetValue(pick)!,
            Epochs = result.GetValue(epochs),
            Crops = result.GetValue(crops),
            Crop = result.GetValue(crop)!.Values,
            Patch = result.GetValue(patch)!.Values,
            MinimumRadius = result.GetValue(minimumRadius),
            BackgroundPercentile = result.GetValue(backgroundPercentile),
            LearningRate = result.GetValue(learningRate),
            Scale = result.GetValue(scale),
            Rotation = result.GetValue(rotation),
            Contrast = result.GetValue(contrast),
            Prior = result.GetValue(prior),
            Seed = result.GetValue(seed),
            Threads = result.GetValue(threads),
            Pad = result.GetValue(pad) == 1,
            Flips = result.GetValue(flips) == 1,
            Probe = result.GetValue(probe) == 1,
            Save = result.GetValue(save),
            Init = result.GetValue(init),
            Load = result.GetValue(load),
        }));
        return command;
    }

    /// <summary>A switch written <c>--name 0</c> or <c>--name 1</c>, as the documented invocations pass it.</summary>
    private static Option<int> ZeroOrOne(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong("0", "1");
        return option;
    }
}
