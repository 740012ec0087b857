using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CellVision.Segmentation;

/// <summary>The field-by-field checks of one dataset entry.</summary>
public sealed partial record SemanticDataConfiguration
{
    private static SemanticDataset ParseDataset(string source, string name, JsonNode? node)
    {
        if (node is not JsonObject entry)
        {
            throw new SemanticDataConfigurationException(source, name, null, "must be a JSON object with the fields file, offset, shape, voxel_size and raw.");
        }

        var offset = Triple(source, name, entry, "offset", "integer voxel offsets [z, y, x]", v => v == Math.Floor(v), allowZero: true, allowNegative: true);
        var shape = Triple(source, name, entry, "shape", "positive integer extents [z, y, x] in voxels", v => v == Math.Floor(v), allowZero: false, allowNegative: false);
        var voxelSize = Triple(source, name, entry, "voxel_size", "positive voxel sizes [z, y, x] in nm", _ => true, allowZero: false, allowNegative: false);
        return new SemanticDataset
        {
            Name = name,
            File = Text(source, name, entry, "file", required: true)!,
            Offset = [.. offset.Select(v => (long)v)],
            Shape = [.. shape.Select(v => (long)v)],
            VoxelSize = [.. voxelSize],
            Raw = Text(source, name, entry, "raw", required: true)!,
            Labels = Labels(source, name, entry),
            Mask = Text(source, name, entry, "mask", required: false),
            MetricMasks = MetricMasks(source, name, entry),
        };
    }

    private static string? Text(string source, string name, JsonObject entry, string field, bool required)
    {
        var node = entry[field];
        if (node is null)
        {
            return required ? throw new SemanticDataConfigurationException(source, name, field, "is missing.") : null;
        }

        if (node.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(node.GetValue<string>()))
        {
            throw new SemanticDataConfigurationException(source, name, field, $"must be a non-empty string; it is {node.ToJsonString()}.");
        }

        return node.GetValue<string>();
    }

    private static double[] Triple(string source, string name, JsonObject entry, string field, string expected, Func<double, bool> valid, bool allowZero, bool allowNegative)
    {
        if (entry[field] is not JsonArray array)
        {
            throw new SemanticDataConfigurationException(source, name, field, entry[field] is null ? $"is missing; give {expected}." : $"must be {expected}; it is {entry[field]!.ToJsonString()}.");
        }

        var values = new double[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
            {
                throw new SemanticDataConfigurationException(source, name, field, $"must be {expected}; element {i} is {array[i]?.ToJsonString() ?? "null"}.");
            }

            values[i] = value.GetValue<double>();
        }

        if (values.Length != 3 || values.Any(v => !double.IsFinite(v) || !valid(v) || (!allowZero && v == 0) || (!allowNegative && v < 0)))
        {
            throw new SemanticDataConfigurationException(source, name, field, $"must be {expected}; it is {array.ToJsonString()}.");
        }

        return values;
    }

    private static ImmutableArray<SemanticLabelDataset> Labels(string source, string name, JsonObject entry)
    {
        var node = entry["labels"];
        if (node is null)
        {
            return [];
        }

        if (node is not JsonObject labels)
        {
            throw new SemanticDataConfigurationException(source, name, "labels", $"must be an object {{\"array path\": class id}}; it is {node.ToJsonString()}.");
        }

        var parsed = ImmutableArray.CreateBuilder<SemanticLabelDataset>(labels.Count);
        foreach (var (path, value) in labels)
        {
            if (value is not JsonValue number || number.GetValueKind() != JsonValueKind.Number || !number.TryGetValue<int>(out var classId))
            {
                throw new SemanticDataConfigurationException(source, name, "labels", $"must map each array path to an integer class id; '{path}' maps to {value?.ToJsonString() ?? "null"}.");
            }

            parsed.Add(new SemanticLabelDataset(path, classId));
        }

        var ids = parsed.Select(l => l.ClassId).Order().ToArray();
        if (ids.Length > byte.MaxValue)
        {
            throw new SemanticDataConfigurationException(source, name, "labels", $"names {ids.Length} classes; at most {byte.MaxValue} are supported (merged labels are uint8).");
        }

        if (!ids.SequenceEqual(Enumerable.Range(1, ids.Length)))
        {
            throw new SemanticDataConfigurationException(source, name, "labels", $"has class ids [{string.Join(", ", ids)}]; they must be exactly 1 … {ids.Length}, each once.");
        }

        return parsed.MoveToImmutable();
    }

    private static ImmutableArray<string> MetricMasks(string source, string name, JsonObject entry)
    {
        var node = entry["metric_masks"];
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray masks || masks.Any(m => m is not JsonValue v || v.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetValue<string>())))
        {
            throw new SemanticDataConfigurationException(source, name, "metric_masks", $"must be a list of array paths; it is {node.ToJsonString()}.");
        }

        return [.. masks.Select(m => m!.GetValue<string>())];
    }
}
