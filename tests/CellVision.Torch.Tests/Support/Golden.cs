using CellVision.Torch.Serialization;

namespace CellVision.Torch.Tests.Support;

/// <summary>Golden values written by Golden/make_golden.py with Python's torch; loaded once per file.</summary>
internal static class Golden
{
    private static readonly Dictionary<string, IReadOnlyDictionary<string, object?>> Cache = [];
    private static readonly Lock Gate = new();

    internal static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Golden", file);

    internal static IReadOnlyDictionary<string, object?> File(string file)
    {
        lock (Gate)
        {
            if (!Cache.TryGetValue(file, out var values))
            {
                values = (IReadOnlyDictionary<string, object?>)PthFile.Load(PathOf(file))!;
                Cache[file] = values;
            }

            return values;
        }
    }

    internal static Tensor Get(string file, string key) =>
        File(file).TryGetValue(key, out var value) && value is Tensor tensor
            ? tensor
            : throw new KeyNotFoundException($"{file} has no tensor '{key}'. Re-run Golden/make_golden.py.");

    internal static bool Has(string file, string key) => File(file).ContainsKey(key);
}
