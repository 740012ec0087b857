using System.Text.Json;
using System.Text.Json.Nodes;
using CellVision.IO.Stores;

namespace CellVision.IO.Zarr;

/// <summary>Reads and writes the JSON documents of Zarr nodes, reporting malformed ones with the file's name.</summary>
internal static class ZarrJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The JSON object stored under <paramref name="key"/>, or null when the key is absent.</summary>
    /// <exception cref="ZarrFormatException">The document is malformed or not an object.</exception>
    internal static JsonObject? TryRead(DirectoryStore store, string key)
    {
        var text = store.ReadText(key);
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new ZarrFormatException(store.PathOf(key), "(root)", "is not a JSON object.");
        }
        catch (JsonException exception)
        {
            throw new ZarrFormatException(store.PathOf(key), "(json)", $"is malformed JSON: {exception.Message}", exception);
        }
    }

    /// <summary>Writes <paramref name="value"/> indented under <paramref name="key"/> (atomically).</summary>
    internal static void Write(DirectoryStore store, string key, JsonObject value) => store.WriteText(key, value.ToJsonString(Indented));
}
