using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>compare-conv3d</c>: <see cref="Conv3dComparison"/>; the options are those of conv3d_stack.py, which receives the same ones.</summary>
internal static class Conv3dComparisonCommand
{
    internal static Command Create()
    {
        var shape = SizeList.Option("--shape", "N,C,D,H,W", "Input of the stack; every layer maps C channels to C", 1, 32, 16, 128, 128);
        var threads = CommonSymbols.TorchThreadsOption();
        var iterations = new Option<int>("--iterations") { Description = "Timed runs of each pass; the median is printed", DefaultValueFactory = _ => 5 }.AtLeast(1);
        var layers = new Option<int>("--layers") { Description = "3×3×3 convolution + ReLU layers", DefaultValueFactory = _ => 2 }.AtLeast(1);
        var command = new Command("compare-conv3d", "The CellVision half of benchmarks/compare/conv3d_stack.sh: forward and forward + backward of a conv3d stack")
        {
            shape, threads, iterations, layers,
        };
        command.SetAction(result => Conv3dComparison.Run(result.GetValue(shape)!.ToLongs(), result.GetValue(threads), result.GetValue(iterations), result.GetValue(layers)));
        return command;
    }
}
