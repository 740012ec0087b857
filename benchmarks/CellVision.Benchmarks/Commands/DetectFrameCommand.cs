using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>detect-frame [xml] [timepoint] [threads] [rounds]</c>: <see cref="DetectFrame"/>.</summary>
internal static class DetectFrameCommand
{
    internal static Command Create()
    {
        var xml = CommonSymbols.BdvXmlArgument();
        var timepoint = CommonSymbols.TimepointArgument("Timepoint to detect");
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
