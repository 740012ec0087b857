using System.Text.Json.Nodes;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;
using CellVision.IO.Zarr.V3;

namespace CellVision.IO.OmeZarr;

/// <summary>
/// The OME metadata of a group in either OME-Zarr version: 0.4 keeps it at the top of a v2 <c>.zattrs</c> (with a
/// version inside each multiscale), 0.5 under <c>attributes.ome</c> of a v3 <c>zarr.json</c> (with one version).
/// </summary>
internal sealed class OmeGroup
{
    private readonly ZarrGroup? v2;
    private readonly ZarrV3Group? v3;

    private OmeGroup(ZarrGroup? v2, ZarrV3Group? v3)
    {
        this.v2 = v2;
        this.v3 = v3;
    }

    internal string Version => v3 is null ? "0.4" : "0.5";

    internal string MetadataFile => v3?.Store.PathOf("zarr.json") ?? v2!.Store.PathOf(".zattrs");

    internal static OmeGroup Open(string path) =>
        ZarrV3Group.IsNode(path) ? new OmeGroup(null, ZarrV3Group.Open(path)) : new OmeGroup(ZarrGroup.Open(path), null);

    internal static OmeGroup Create(string path, string version) => version switch
    {
        "0.4" => new OmeGroup(ZarrGroup.Create(path), null),
        "0.5" => new OmeGroup(null, ZarrV3Group.Create(path)),
        _ => throw new ArgumentException($"OME-Zarr version '{version}' is not supported; use \"0.4\" or \"0.5\".", nameof(version)),
    };

    internal JsonObject ReadOme() => v3 is null ? v2!.ReadAttributes() : v3.ReadAttributes()["ome"] as JsonObject ?? [];

    internal void WriteOme(JsonObject ome)
    {
        if (v3 is null)
        {
            v2!.WriteAttributes(ome);
            return;
        }

        var attributes = v3.ReadAttributes();
        ome["version"] = "0.5";
        attributes["ome"] = ome.DeepClone();
        v3.WriteAttributes(attributes);
    }

    internal string ChildPath(string name) => v3?.ChildPath(name) ?? v2!.ChildPath(name);

    internal OmeGroup CreateChild(string name) => Create(ChildPath(name), Version);

    internal ChunkedArray OpenArray(string name) => v3 is null ? ZarrArray.Open(ChildPath(name)) : ZarrV3Array.Open(ChildPath(name));

    internal ChunkedArray CreateArray<T>(string name, long[] shape, long[] chunks, ZarrCompressor? compressor)
        where T : unmanaged =>
        v3 is null
            ? ZarrArray.Create<T>(ChildPath(name), shape, chunks, compressor, 0, ZarrOrder.C, '/', overwrite: true)
            : ZarrV3Array.Create<T>(ChildPath(name), shape, chunks, compressor, dimensionNames: ["z", "y", "x"], overwrite: true);
}
