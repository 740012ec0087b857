using System.CommandLine;
using CellVision.Segmentation;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>semantic-vnc</c>: <see cref="SemanticVnc"/>.</summary>
internal static class SemanticVncCommand
{
    internal static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The em-drosophila-vnc-sstem folder", DefaultValueFactory = _ => "../shared/data/em-drosophila-vnc-sstem" };
        var model = new Option<string>("--model") { Description = "Weights: trained here (with MODEL.step while training, resumable) unless a finished model exists", Required = true };
        var iterations = new Option<long>("--iterations") { Description = "Training steps", DefaultValueFactory = _ => 2000 };
        var size = new Option<int>("--input-size") { Description = "Largest input width and height in pixels (the nearest valid size below is used)", DefaultValueFactory = _ => 252 };
        var featureMaps = new Option<int>("--feature-maps") { Description = "Feature maps of the top level (incasem: 32)", DefaultValueFactory = _ => 16 };
        var learningRate = new Option<double>("--learning-rate") { Description = "Adam learning rate (incasem fine-tunes at 3e-5)", DefaultValueFactory = _ => 1e-4 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seed = new Option<int>("--seed") { Description = "Seed of the weights and the blocks", DefaultValueFactory = _ => 1 };
        var selectThresholds = new Option<bool>("--select-thresholds") { Description = "Also score each class at the probability threshold where its F1 peaks on training sections 6-9's own predictions" };
        var augmentation = new Option<SemanticTestTimeAugmentation>("--test-time-augmentation") { Description = "Mirrors and transposes averaged at prediction (None, InPlane, ...)", DefaultValueFactory = _ => SemanticTestTimeAugmentation.None };
        var command = new Command("semantic-vnc", "incasem's U-Net (serial-section configuration) trained on VNC ssTEM sections 0-9 for membranes and mitochondria, scored on sections 10-13 (F1 with and without the metric mask)")
        {
            data, model, iterations, size, featureMaps, learningRate, seed, threads, selectThresholds, augmentation,
        };
        command.SetAction(result => SemanticVnc.Run(result.GetValue(data)!, result.GetValue(model)!, result.GetValue(iterations), result.GetValue(size), result.GetValue(featureMaps), result.GetValue(learningRate), result.GetValue(seed), result.GetValue(threads), result.GetValue(selectThresholds), result.GetValue(augmentation)));
        return command;
    }
}
