using System.CommandLine;
using CellVision.Torch;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>flow-step [D,H,W] [threads] [cpu|cuda] [levels] [onednn|pytorch]</c>: <see cref="FlowStep"/>.</summary>
internal static class FlowStepCommand
{
    internal static Command Create()
    {
        var shape = SizeList.Argument("shape", "D,H,W", "Patch size of each of the two frames", 16, 128, 128);
        var threads = CommonSymbols.TorchThreadsArgument();
        var device = new Argument<string>("device") { Description = "cpu or cuda", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong("cpu", "cuda");
        var levels = new Argument<int>("levels") { Description = "Levels that keep Z (keep_axials); 3 is (T, T, T, F)", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => 3 }.AtLeast(0);
        var kernels = ConvolutionKernelsArgument.Create();
        var command = new Command("flow-step", "ELEPHANT's flow network on one patch of two frames: mean inference pass and mean training step (FlowLoss, Adam)")
        {
            shape, threads, device, levels, kernels,
        };
        command.SetAction(result =>
        {
            var name = result.GetValue(kernels)!;
            using var scope = ConvolutionKernelsArgument.Enter(name);
            var where = result.GetValue(device) == "cuda" ? Device.Cuda() : Device.Cpu;
            return FlowStep.Run(result.GetValue(shape)!.ToLongs(), result.GetValue(threads), where, result.GetValue(levels), name);
        });
        return command;
    }
}
