using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>compare-knn</c>: <see cref="KnnComparison"/>.</summary>
internal static class KnnComparisonCommand
{
    internal static Command Create()
    {
        var reference = new Option<string>("--reference") { Description = "scipy's script knn_ref.py, or none for CellVision's numbers only", HelpName = "PATH", DefaultValueFactory = _ => KnnComparison.DefaultReference() };
        var rounds = CommonSymbols.RoundsOption(7, "Rounds, each running the reference once and CellVision once per size; medians are compared");
        var command = new Command("compare-knn", "Nearest-neighbour candidates between two frames (n = 1k, 10k, 100k; k = 3 within 5.0) with KdTree3 beside scipy's cKDTree")
        {
            reference, rounds,
        };
        command.SetAction(result => KnnComparison.Run(result.GetValue(reference)!, result.GetValue(rounds)));
        return command;
    }
}
