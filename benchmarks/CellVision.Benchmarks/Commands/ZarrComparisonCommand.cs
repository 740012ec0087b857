using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>compare-zarr [repeats]</c>: <see cref="ZarrComparison"/>.</summary>
internal static class ZarrComparisonCommand
{
    internal static Command Create()
    {
        var repeats = new Argument<int>("repeats") { Description = "Write + read repeats per compressor; the fastest is printed", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => 3 }.AtLeast(1);
        var command = new Command("compare-zarr", "The CellVision half of benchmarks/compare/zarr.sh: a 128×512×512 uint16 volume written and read whole, raw / zlib1 / blosc-lz4 / blosc-zstd, and memcpy")
        {
            repeats,
        };
        command.SetAction(result => ZarrComparison.Run(result.GetValue(repeats)));
        return command;
    }
}
