using System.Text.Json;
using System.Text.Json.Nodes;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.IO.Zarr;

/// <summary>The contents of a Zarr v2 <c>.zarray</c> document.</summary>
public sealed record ZarrArrayMetadata
{
    /// <summary>Extent of each dimension.</summary>
    public required long[] Shape { get; init; }

    /// <summary>Chunk extent of each dimension.</summary>
    public required long[] Chunks { get; init; }

    /// <summary>Element type and byte order.</summary>
    public required ZarrDataType DataType { get; init; }

    /// <summary>Chunk compressor; null stores raw bytes.</summary>
    public ZarrCompressor? Compressor { get; init; }

    /// <summary>The fill value as JSON (number, "NaN", "Infinity", "-Infinity", boolean or null).</summary>
    public JsonNode? FillValue { get; init; }

    /// <summary>Element order inside chunks.</summary>
    public ZarrOrder Order { get; init; } = ZarrOrder.C;

    /// <summary>Separator of chunk indices in keys: '.' (default) or '/'.</summary>
    public char DimensionSeparator { get; init; } = '.';

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Parses a <c>.zarray</c> document.</summary>
    /// <param name="json">The document text.</param>
    /// <param name="path">The file, for errors.</param>
    /// <exception cref="ZarrFormatException">The JSON is malformed, a field is missing or invalid, or a feature is unsupported.</exception>
    public static ZarrArrayMetadata Parse(string json, string path)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new ZarrFormatException(path, "(root)", "is not a JSON object.");
        }
        catch (JsonException exception)
        {
            throw new ZarrFormatException(path, "(json)", $"is malformed JSON: {exception.Message}", exception);
        }

        var format = Field(root, "zarr_format", path);
        if (format.GetValueKind() != JsonValueKind.Number || format.GetValue<int>() != 2)
        {
            throw new ZarrFormatException(path, "zarr_format", $"is {format.ToJsonString()}; a .zarray must say 2.");
        }

        var shape = Longs(root, "shape", path, allowZero: true);
        var chunks = Longs(root, "chunks", path, allowZero: false);
        if (chunks.Length != shape.Length)
        {
            throw new ZarrFormatException(path, "chunks", $"has {chunks.Length} dimensions but shape has {shape.Length}.");
        }

        var dtypeNode = Field(root, "dtype", path);
        var dtypeText = dtypeNode.GetValueKind() == JsonValueKind.String ? dtypeNode.GetValue<string>() : dtypeNode.ToJsonString();
        if (!ZarrDataType.TryParseTypeString(dtypeText, out var dataType))
        {
            throw new ZarrFormatException(path, "dtype", $"is {dtypeNode.ToJsonString()}, which is not supported (supported: |b1 |u1 |i1 <u2 <i2 <u4 <i4 <u8 <i8 <f2 <f4 <f8 and their '>' big-endian forms).");
        }

        var order = Field(root, "order", path).ToJsonString() switch
        {
            "\"C\"" => ZarrOrder.C,
            "\"F\"" => ZarrOrder.F,
            var other => throw new ZarrFormatException(path, "order", $"is {other}; expected \"C\" or \"F\"."),
        };

        if (root["filters"] is JsonArray { Count: > 0 } filters)
        {
            throw new ZarrFormatException(path, "filters", $"lists {filters.ToJsonString()}; chunk filters are not supported.");
        }

        var separator = root["dimension_separator"]?.ToJsonString() switch
        {
            null or "\".\"" => '.',
            "\"/\"" => '/',
            var other => throw new ZarrFormatException(path, "dimension_separator", $"is {other}; expected \".\" or \"/\"."),
        };

        if (!root.ContainsKey("compressor"))
        {
            throw new ZarrFormatException(path, "compressor", "is missing (use null for no compression).");
        }

        var metadata = new ZarrArrayMetadata
        {
            Shape = shape,
            Chunks = chunks,
            DataType = dataType,
            Compressor = ZarrCompressor.FromJson(root["compressor"], path),
            FillValue = root["fill_value"]?.DeepClone(),
            Order = order,
            DimensionSeparator = separator,
        };
        _ = ZarrFillValue.ToBytes(metadata.FillValue, dataType, path);
        return metadata;
    }

    /// <summary>The <c>.zarray</c> document, keys sorted as zarr-python writes them.</summary>
    public string ToJson()
    {
        var root = new JsonObject
        {
            ["chunks"] = new JsonArray(Chunks.Select(c => (JsonNode?)c).ToArray()),
            ["compressor"] = Compressor?.ToJson(),
            ["dimension_separator"] = DimensionSeparator.ToString(),
            ["dtype"] = DataType.TypeString,
            ["fill_value"] = FillValue?.DeepClone(),
            ["filters"] = null,
            ["order"] = Order.ToString(),
            ["shape"] = new JsonArray(Shape.Select(s => (JsonNode?)s).ToArray()),
            ["zarr_format"] = 2,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonNode Field(JsonObject root, string name, string path) =>
        root[name] ?? throw new ZarrFormatException(path, name, "is missing or null.");

    private static long[] Longs(JsonObject root, string name, string path, bool allowZero)
    {
        if (Field(root, name, path) is not JsonArray array)
        {
            throw new ZarrFormatException(path, name, "must be an array of integers.");
        }

        var values = new long[array.Count];
        for (var i = 0; i < values.Length; i++)
        {
            if (array[i] is not JsonValue value || !value.TryGetValue<long>(out values[i]) || values[i] < 0 || (!allowZero && values[i] == 0))
            {
                throw new ZarrFormatException(path, name, $"has {array[i]?.ToJsonString() ?? "null"} at position {i}; expected an integer {(allowZero ? "≥ 0" : "≥ 1")}.");
            }
        }

        return values;
    }
}
