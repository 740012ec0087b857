using System.Text.Json;
using System.Text.Json.Nodes;
using CellVision.IO.Stores;

namespace CellVision.IO.Zarr.V3;

/// <summary>A Zarr v3 group: a folder whose <c>zarr.json</c> says <c>"node_type": "group"</c>, with attributes.</summary>
public sealed class ZarrV3Group
{
    private const string MetadataKey = "zarr.json";

    private ZarrV3Group(DirectoryStore store) => Store = store;

    /// <summary>The group's folder.</summary>
    public DirectoryStore Store { get; }

    /// <summary>Creates the group (keeping the attributes of an existing one).</summary>
    /// <param name="path">The folder.</param>
    public static ZarrV3Group Create(string path)
    {
        var store = new DirectoryStore(path);
        if (!store.Contains(MetadataKey))
        {
            ZarrJson.Write(store, MetadataKey, new JsonObject { ["zarr_format"] = 3, ["node_type"] = "group", ["attributes"] = new JsonObject() });
        }

        return Open(path);
    }

    /// <summary>Opens an existing v3 group.</summary>
    /// <param name="path">The folder.</param>
    /// <exception cref="FileNotFoundException">There is no <c>zarr.json</c>.</exception>
    /// <exception cref="ZarrFormatException">The node is not a v3 group.</exception>
    public static ZarrV3Group Open(string path)
    {
        var group = new ZarrV3Group(new DirectoryStore(path));
        var root = group.ReadMetadata();
        if (root["zarr_format"]?.ToJsonString() != "3" || root["node_type"]?.GetValue<string>() != "group")
        {
            throw new ZarrFormatException(group.Store.PathOf(MetadataKey), "node_type", "is not a Zarr v3 group.");
        }

        return group;
    }

    /// <summary>Whether <paramref name="path"/> holds a Zarr v3 node.</summary>
    /// <param name="path">A folder.</param>
    public static bool IsNode(string path) => File.Exists(Path.Combine(path, MetadataKey));

    /// <summary>The group's attributes.</summary>
    public JsonObject ReadAttributes() => ReadMetadata()["attributes"] as JsonObject ?? [];

    /// <summary>Replaces the group's attributes.</summary>
    /// <param name="attributes">The attributes.</param>
    public void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var root = ReadMetadata();
        root["attributes"] = attributes.DeepClone();
        ZarrJson.Write(Store, MetadataKey, root);
    }

    /// <summary>The full path of child <paramref name="name"/>, refusing names that leave the group.</summary>
    /// <param name="name">A relative child path.</param>
    /// <exception cref="ZarrFormatException">The name escapes the group.</exception>
    public string ChildPath(string name)
    {
        try
        {
            return Store.PathOf(name);
        }
        catch (ArgumentException exception)
        {
            throw new ZarrFormatException(Store.PathOf(MetadataKey), name, "is not a path inside the group.", exception);
        }
    }

    private JsonObject ReadMetadata() =>
        ZarrJson.TryRead(Store, MetadataKey) ?? throw new FileNotFoundException($"{Store.PathOf(MetadataKey)} does not exist: not a Zarr v3 node.", Store.PathOf(MetadataKey));
}
