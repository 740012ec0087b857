using System.Text.Json;
using System.Text.Json.Nodes;

namespace CellVision.Segmentation;

/// <summary>Writing a configuration back as incasem's JSON.</summary>
public sealed partial record SemanticDataConfiguration
{
    /// <summary>
    /// The configuration as incasem's JSON: one object per dataset with <c>file</c>, <c>offset</c>, <c>shape</c>,
    /// <c>voxel_size</c> and <c>raw</c>, and <c>labels</c>, <c>mask</c> and <c>metric_masks</c> when the dataset has them;
    /// <see cref="Parse"/> reads it back unchanged.
    /// </summary>
    /// <returns>Indented JSON text.</returns>
    public string ToJson()
    {
        var root = new JsonObject();
        foreach (var dataset in Datasets)
        {
            var entry = new JsonObject
            {
                ["file"] = dataset.File,
                ["offset"] = new JsonArray([.. dataset.Offset.Select(v => JsonValue.Create(v))]),
                ["shape"] = new JsonArray([.. dataset.Shape.Select(v => JsonValue.Create(v))]),
                ["voxel_size"] = new JsonArray([.. dataset.VoxelSize.Select(Number)]),
                ["raw"] = dataset.Raw,
            };
            if (dataset.Labels.Length > 0)
            {
                var labels = new JsonObject();
                foreach (var label in dataset.Labels)
                {
                    labels[label.Path] = label.ClassId;
                }

                entry["labels"] = labels;
            }

            if (dataset.Mask is { } mask)
            {
                entry["mask"] = mask;
            }

            if (dataset.MetricMasks.Length > 0)
            {
                entry["metric_masks"] = new JsonArray([.. dataset.MetricMasks.Select(m => JsonValue.Create(m))]);
            }

            root[dataset.Name] = entry;
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> under a temporary name, renamed when complete.</summary>
    /// <param name="path">The JSON file to create or replace.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var temporary = $"{full}.{Guid.NewGuid():N}.partial";
        try
        {
            System.IO.File.WriteAllText(temporary, ToJson() + Environment.NewLine);
            System.IO.File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            System.IO.File.Delete(temporary);
        }
    }

    /// <summary>Whole voxel sizes as integers (5, not 5.0), as incasem's configurations write them.</summary>
    private static JsonNode Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? JsonValue.Create((long)value) : JsonValue.Create(value);
}
