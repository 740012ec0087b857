namespace CellVision.Benchmarks;

/// <summary>"--name value" pairs of a benchmark command line.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    internal static Options Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options.values[args[i].TrimStart('-')] = args[i + 1];
        }

        return options;
    }

    internal string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
}
