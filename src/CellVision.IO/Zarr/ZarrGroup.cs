using System.Text.Json;
using System.Text.Json.Nodes;
using CellVision.IO.Stores;

namespace CellVision.IO.Zarr;

/// <summary>A Zarr v2 group: a folder with <c>.zgroup</c> and optional <c>.zattrs</c>, holding arrays and groups.</summary>
public sealed class ZarrGroup
{
    private const string GroupKey = ".zgroup";
    private const string AttributesKey = ".zattrs";

    private ZarrGroup(DirectoryStore store) => Store = store;

    /// <summary>The group's folder.</summary>
    public DirectoryStore Store { get; }

    /// <summary>Creates the group (and keeps it when it exists).</summary>
    /// <param name="path">The folder.</param>
    public static ZarrGroup Create(string path)
    {
        var store = new DirectoryStore(path);
        if (!store.Contains(GroupKey))
        {
            store.WriteText(GroupKey, "{\n    \"zarr_format\": 2\n}");
        }

        return new ZarrGroup(store);
    }

    /// <summary>Opens an existing group.</summary>
    /// <param name="path">The folder.</param>
    /// <exception cref="FileNotFoundException">There is no <c>.zgroup</c>.</exception>
    /// <exception cref="ZarrFormatException">The <c>.zgroup</c> is not a v2 group document.</exception>
    public static ZarrGroup Open(string path)
    {
        var store = new DirectoryStore(path);
        var root = ZarrJson.TryRead(store, GroupKey) ?? throw new FileNotFoundException($"{store.PathOf(GroupKey)} does not exist: '{path}' is not a Zarr v2 group.", store.PathOf(GroupKey));
        if (root["zarr_format"]?.ToJsonString() != "2")
        {
            throw new ZarrFormatException(store.PathOf(GroupKey), "zarr_format", "must be 2.");
        }

        return new ZarrGroup(store);
    }

    /// <summary>Whether <paramref name="path"/> holds a Zarr v2 group.</summary>
    /// <param name="path">A folder.</param>
    public static bool IsGroup(string path) => File.Exists(Path.Combine(path, GroupKey));

    /// <summary>The group's attributes, or an empty object.</summary>
    public JsonObject ReadAttributes() => ZarrJson.TryRead(Store, AttributesKey) ?? [];

    /// <summary>Replaces the group's attributes.</summary>
    /// <param name="attributes">The attributes.</param>
    public void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ZarrJson.Write(Store, AttributesKey, attributes);
    }

    /// <summary>The full path of child <paramref name="name"/>, refusing names that leave the group.</summary>
    /// <param name="name">A relative child path such as "0" or "labels/cells".</param>
    /// <exception cref="ZarrFormatException">The name escapes the group (for example "../x").</exception>
    public string ChildPath(string name)
    {
        try
        {
            return Store.PathOf(name);
        }
        catch (ArgumentException exception)
        {
            throw new ZarrFormatException(Store.PathOf(AttributesKey), name, "is not a path inside the group.", exception);
        }
    }
}
