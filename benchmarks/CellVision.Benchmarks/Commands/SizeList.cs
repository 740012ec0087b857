using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace CellVision.Benchmarks.Commands;

/// <summary>
/// A fixed number of comma-separated positive (or, where asked, non-negative) integers such as the patch <c>16,256,256</c>. It prints itself the way it
/// is typed, so that help shows defaults as a user would write them.
/// </summary>
internal sealed class SizeList(int[] values)
{
    internal int[] Values => values;

    internal long[] ToLongs() => [.. values.Select(v => (long)v)];

    public override string ToString() => string.Join(',', values);

    /// <summary>A positional argument whose parts are named by <paramref name="layout"/>, e.g. <c>D,H,W</c>.</summary>
    internal static Argument<SizeList> Argument(string name, string layout, string description, params int[] defaults) => new(name)
    {
        Description = $"{description} ({layout})",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => new SizeList(defaults),
        CustomParser = result => Parse(result, name, layout),
    };

    /// <summary>An option whose parts are named by <paramref name="layout"/>, e.g. <c>D,H,W</c>.</summary>
    internal static Option<SizeList> Option(string name, string layout, string description, params int[] defaults) => new(name)
    {
        Description = description,
        HelpName = layout,
        DefaultValueFactory = _ => new SizeList(defaults),
        CustomParser = result => Parse(result, name, layout),
    };

    /// <summary>An option like <see cref="Option"/> whose parts may also be 0, e.g. a corner <c>0,0,0</c>.</summary>
    internal static Option<SizeList> NonNegativeOption(string name, string layout, string description, params int[] defaults) => new(name)
    {
        Description = description,
        HelpName = layout,
        DefaultValueFactory = _ => new SizeList(defaults),
        CustomParser = result => Parse(result, name, layout, minimum: 0),
    };

    private static SizeList? Parse(ArgumentResult result, string name, string layout, int minimum = 1)
    {
        var text = result.Tokens.Single().Value;
        var parts = text.Split(',');
        var count = layout.Split(',').Length;
        if (parts.Length == count && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= minimum))
        {
            return new SizeList([.. parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture))]);
        }

        result.AddError($"{name} takes {count} {(minimum > 0 ? "positive" : "non-negative")} integers {layout}, not '{text}'.");
        return null;
    }
}
