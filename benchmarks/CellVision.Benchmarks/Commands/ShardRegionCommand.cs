using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>shard-region</c>: <see cref="ShardRegion"/>.</summary>
internal static class ShardRegionCommand
{
    internal static Command Create()
    {
        var command = new Command("shard-region", "Small regions read from one 32 MiB Zarr v3 shard (inner chunks 16×64×64) against reading the whole shard");
        command.SetAction(_ => ShardRegion.Run());
        return command;
    }
}
