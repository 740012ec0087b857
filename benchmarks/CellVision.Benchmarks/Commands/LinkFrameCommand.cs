using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>link-frame</c>: <see cref="LinkFrame"/>.</summary>
internal static class LinkFrameCommand
{
    internal static Command Create()
    {
        var n = new Option<int>("--n") { Description = "Spots per frame", DefaultValueFactory = _ => 100_000 }.AtLeast(1);
        var runs = new Option<int>("--runs") { Description = "Timed runs after one warm-up; the median is printed", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var command = new Command("link-frame", "ELEPHANT's nearest-neighbour linking of one frame of n random spots to the previous frame")
        {
            n, runs,
        };
        command.SetAction(result => LinkFrame.Run(result.GetValue(n), result.GetValue(runs)));
        return command;
    }
}
