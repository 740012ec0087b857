using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>label-rate [D,H,W] [spots] [rounds]</c>: <see cref="LabelRate"/>.</summary>
internal static class LabelRateCommand
{
    internal static Command Create()
    {
        var shape = SizeList.Argument("shape", "D,H,W", "Frame size", 64, 512, 512);
        var spots = new Argument<int>("spots") { Description = "Randomly rotated ellipsoids rasterised into the frame", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => 200 }.AtLeast(0);
        var rounds = CommonSymbols.RoundsArgument(5);
        var command = new Command("label-rate", "Label generation throughput: voxels of the frame per second")
        {
            shape, spots, rounds,
        };
        command.SetAction(result => LabelRate.Run(result.GetValue(shape)!.Values, result.GetValue(spots), result.GetValue(rounds)));
        return command;
    }
}
