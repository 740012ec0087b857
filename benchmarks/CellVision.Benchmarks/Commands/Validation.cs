using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace CellVision.Benchmarks.Commands;

/// <summary>Range checks, so that a bad count fails while parsing instead of deep inside a benchmark.</summary>
internal static class Validation
{
    internal static Argument<int> AtLeast(this Argument<int> argument, int minimum)
    {
        argument.Validators.Add(result => Check(result, argument.Name, minimum));
        return argument;
    }

    internal static Option<int> AtLeast(this Option<int> option, int minimum)
    {
        option.Validators.Add(result => Check(result, option.Name, minimum));
        return option;
    }

    // Reads the token itself: a token that is no integer at all is left to the parser's own conversion error.
    private static void Check(SymbolResult result, string name, int minimum)
    {
        if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value < minimum)
        {
            result.AddError($"{name} must be at least {minimum}, not {value}.");
        }
    }
}
