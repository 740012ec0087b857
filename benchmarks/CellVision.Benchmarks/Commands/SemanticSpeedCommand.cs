using System.CommandLine;
using System.Globalization;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>compare-semantic</c>: <see cref="SemanticSpeed"/>.</summary>
internal static class SemanticSpeedCommand
{
    internal static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The FIB-25 medulla training_sample2 folder", DefaultValueFactory = _ => "../shared/data/fib25-medulla-ts2" };
        var reference = new Option<string>("--reference") { Description = "benchmarks/compare/semantic.py, or none for CellVision alone", DefaultValueFactory = _ => "benchmarks/compare/semantic.py" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads on both sides", DefaultValueFactory = _ => 2 };
        var volume = new Option<string>("--volume") { Description = "Size Z,Y,X of the FIB-25 crop predicted (at most 250 each)", DefaultValueFactory = _ => "204,204,250" };
        var input = new Option<string>("--input-size") { Description = "Network input block Z,Y,X", DefaultValueFactory = _ => "204,204,204" };
        var trainSteps = new Option<int>("--train-steps") { Description = "Timed training steps (after one untimed step); 0 skips training", DefaultValueFactory = _ => 2 };
        var featureMaps = new Option<int>("--feature-maps") { Description = "Feature maps of the top level (incasem: 32)", DefaultValueFactory = _ => 32 };
        var seed = new Option<int>("--seed") { Description = "Seed of the weights and the training blocks", DefaultValueFactory = _ => 1 };
        var command = new Command("compare-semantic", "incasem's block-wise prediction and training steps, CellVision against the plain-PyTorch transcription (benchmarks/compare/semantic.py)")
        {
            data, reference, threads, volume, input, trainSteps, featureMaps, seed,
        };
        command.SetAction(result => SemanticSpeed.Run(result.GetValue(data)!, result.GetValue(reference)!, result.GetValue(threads), Triple(result.GetValue(volume)!), Triple(result.GetValue(input)!), result.GetValue(trainSteps), result.GetValue(featureMaps), result.GetValue(seed)));
        return command;
    }

    private static (int, int, int) Triple(string text)
    {
        var parts = text.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : throw new ArgumentException($"'{text}' is not Z,Y,X.");
    }
}
