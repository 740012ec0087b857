using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CellVision.IO.Zarr;

/// <summary>
/// The attributes funlib.persistence (and through it gunpowder, daisy and incasem) keeps in an array's
/// <c>.zattrs</c>: <c>resolution</c>, the voxel size, and <c>offset</c>, the world position of voxel (0, 0, 0), both
/// in nanometres and in array order (Z, Y, X). A world position p lies in voxel <c>(p − Offset) / Resolution</c>.
/// </summary>
/// <param name="Resolution">Voxel size per axis, nm.</param>
/// <param name="Offset">World position of the first voxel per axis, nm.</param>
public sealed record FunlibAttributes(IReadOnlyList<double> Resolution, IReadOnlyList<double> Offset)
{
    /// <summary>Reads the attributes of <paramref name="array"/>: null when it has neither; a missing resolution is 1 per axis and a missing offset 0, as in funlib.</summary>
    /// <param name="array">A Zarr v2 array.</param>
    /// <returns>The attributes, or null.</returns>
    /// <exception cref="ZarrFormatException">An attribute is not a list of one number per dimension.</exception>
    public static FunlibAttributes? Read(ZarrArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var attributes = array.ReadAttributes();
        if (attributes["resolution"] is null && attributes["offset"] is null)
        {
            return null;
        }

        var file = array.Store.PathOf(".zattrs");
        var resolution = Numbers(attributes, "resolution", array.Rank, file) ?? [.. Enumerable.Repeat(1.0, array.Rank)];
        var offset = Numbers(attributes, "offset", array.Rank, file) ?? new double[array.Rank];
        if (resolution.Any(r => !(r > 0)))
        {
            throw new ZarrFormatException(file, "resolution", $"must hold positive voxel sizes; it is [{string.Join(", ", resolution.Select(r => r.ToString(CultureInfo.InvariantCulture)))}].");
        }

        return new FunlibAttributes(resolution, offset);
    }

    /// <summary>Writes <c>resolution</c> and <c>offset</c> into the attributes of <paramref name="array"/>, keeping the others; whole numbers are written as integers, as funlib writes them.</summary>
    /// <param name="array">A Zarr v2 array.</param>
    /// <exception cref="ArgumentException">The lists do not have one value per dimension of the array, or a resolution is not positive.</exception>
    public void WriteTo(ZarrArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (Resolution.Count != array.Rank || Offset.Count != array.Rank)
        {
            throw new ArgumentException($"The resolution has {Resolution.Count} and the offset {Offset.Count} values but the array at {array.Store.Root} has {array.Rank} dimensions.", nameof(array));
        }

        if (Resolution.Any(r => !(r > 0)) || Offset.Any(o => !double.IsFinite(o)))
        {
            throw new ArgumentException($"Resolutions must be positive and offsets finite; got resolution [{string.Join(", ", Resolution)}], offset [{string.Join(", ", Offset)}].", nameof(array));
        }

        var attributes = array.ReadAttributes();
        attributes["resolution"] = Json(Resolution);
        attributes["offset"] = Json(Offset);
        array.WriteAttributes(attributes);
    }

    private static JsonArray Json(IReadOnlyList<double> values) =>
        [.. values.Select(v => v == Math.Floor(v) && Math.Abs(v) < 1e15 ? JsonValue.Create((long)v) : JsonValue.Create(v))];

    private static double[]? Numbers(JsonObject attributes, string field, int rank, string file)
    {
        var node = attributes[field];
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray list || list.Count != rank || list.Any(v => v is not JsonValue value || value.GetValueKind() != JsonValueKind.Number))
        {
            throw new ZarrFormatException(file, field, $"must be a list of {rank} numbers (nm, one per dimension); it is {node.ToJsonString()}.");
        }

        return [.. list.Select(v => v!.GetValue<double>())];
    }
}
