using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>compare-clahe [D,H,W] [double|uint16]</c>: <see cref="ClaheComparison"/>.</summary>
internal static class ClaheComparisonCommand
{
    internal static Command Create()
    {
        var shape = SizeList.Argument("shape", "D,H,W", "Volume size", 64, 256, 256);
        var output = new Argument<string>("output")
        {
            Description = "double (Clahe.Equalize, first and second call, as scikit-image returns) or uint16 (Clahe.EqualizeToUInt16, with its memory growth)",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "double",
        };
        output.AcceptOnlyFromAmong("double", "uint16");
        var command = new Command("compare-clahe", "The CellVision half of benchmarks/compare/clahe.sh: 3-D CLAHE (clip limit 0.02) of a synthetic uint16 volume")
        {
            shape, output,
        };
        command.SetAction(result => ClaheComparison.Run(result.GetValue(shape)!.Values, result.GetValue(output) == "uint16"));
        return command;
    }
}
