using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>compare-bdv [xml]</c>: <see cref="BdvComparison"/>.</summary>
internal static class BdvComparisonCommand
{
    internal static Command Create()
    {
        var xml = CommonSymbols.BdvXmlArgument();
        var command = new Command("compare-bdv", "The CellVision half of benchmarks/compare/bdv.sh: 8×64×64 region reads at 200 positions and whole-view reads")
        {
            xml,
        };
        command.SetAction(result => BdvComparison.Run(result.GetValue(xml)!));
        return command;
    }
}
