using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>compare-gnn</c>: <see cref="GnnSpeed"/>.</summary>
internal static class GnnSpeedCommand
{
    internal static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A CTC sequence folder NN (raw tTTT.tif) beside NN_GT/TRA, whose masks stand in for the segmentation", HelpName = "FOLDER", DefaultValueFactory = _ => "../shared/data/ctc-fluo-n2dh-sim-01/01" };
        var reference = new Option<string>("--reference") { Description = "The reference script benchmarks/compare/gnn.py, or none for CellVision's numbers only", HelpName = "PATH", DefaultValueFactory = _ => GnnSpeed.DefaultReference() };
        var rounds = CommonSymbols.RoundsOption(3, "Rounds, each running the reference once and every CellVision stage once; medians are compared");
        var threads = CommonSymbols.TorchThreadsOption();
        var seed = new Option<int>("--seed") { Description = "Seed of the shared initial weights and of the batch order", DefaultValueFactory = _ => 1 };
        var frames = new Option<int>("--frames") { Description = "The first frames only (0: all)", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var command = new Command("compare-gnn", "The GNN tracker's features, candidate graph, inference, training epoch and decoders beside the PyTorch/NumPy transcription of cell-tracker-gnn")
        {
            data, reference, rounds, threads, seed, frames,
        };
        command.SetAction(result => GnnSpeed.Run(result.GetValue(data)!, result.GetValue(reference)!, result.GetValue(rounds), result.GetValue(threads), result.GetValue(seed), result.GetValue(frames)));
        return command;
    }
}
