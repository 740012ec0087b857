using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>detect-frame [xml] [timepoint] [threads] [rounds]</c>: <see cref="DetectFrame"/>.</summary>
internal static class DetectFrameCommand
{
    internal static Command Create()
    {
        var xml = CommonSymbols.BdvXmlArgument();
        var timepoint = new Argument<int>("timepoint") { Description = "Timepoint to detect", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => 0 }.AtLeast(0);
        var threads = CommonSymbols.TorchThreadsArgument();
        var rounds = CommonSymbols.RoundsArgument(3);
        var command = new Command("detect-frame", "End-to-end time to detect one frame: read, normalise, predict with ELEPHANT's patching (random weights), ellipsoids")
        {
            xml, timepoint, threads, rounds,
        };
        command.SetAction(result => DetectFrame.Run(result.GetValue(xml)!, result.GetValue(timepoint), result.GetValue(threads), result.GetValue(rounds)));
        return command;
    }
}
