using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>compare-unet [D,H,W] [threads] [onednn|pytorch]</c>: <see cref="UNetComparison"/>.</summary>
internal static class UNetComparisonCommand
{
    internal static Command Create()
    {
        var shape = SizeList.Argument("shape", "D,H,W", "Patch size", 16, 256, 256);
        var threads = CommonSymbols.TorchThreadsArgument();
        var kernels = ConvolutionKernelsArgument.Create();
        var command = new Command("compare-unet", "The CellVision half of benchmarks/compare/unet.sh: the detection U-Net's inference and one Adam training step on one patch")
        {
            shape, threads, kernels,
        };
        command.SetAction(result =>
        {
            var name = result.GetValue(kernels)!;
            using var scope = ConvolutionKernelsArgument.Enter(name);
            return UNetComparison.Run(result.GetValue(shape)!.ToLongs(), result.GetValue(threads), name);
        });
        return command;
    }
}
