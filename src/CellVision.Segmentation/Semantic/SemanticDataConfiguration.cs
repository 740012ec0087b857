using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CellVision.Segmentation;

/// <summary>
/// incasem's data-configuration JSON (<c>data_sources_base.py</c>, <c>data_sources_semantic.py</c>): an object whose
/// keys name datasets, each a region of interest of a Zarr container with its raw, label, mask and metric-mask arrays.
/// Parsing checks everything that can be checked without the arrays; <see cref="SemanticDataLoader"/> checks the rest.
/// </summary>
/// <example>
/// <code>
/// {
///   "cell_6": {
///     "file": "cell_6/cell_6.zarr", "offset": [400, 926, 2512], "shape": [300, 300, 300], "voxel_size": [5, 5, 5],
///     "raw": "volumes/raw_equalized_0.02",
///     "labels": { "volumes/labels/mito": 1 },
///     "metric_masks": [ "volumes/metric_masks/mito" ]
///   }
/// }
/// </code>
/// </example>
public sealed partial record SemanticDataConfiguration
{
    /// <summary>The file or description the configuration was read from, for messages.</summary>
    public required string Source { get; init; }

    /// <summary>The datasets, in the document's order.</summary>
    public required ImmutableArray<SemanticDataset> Datasets { get; init; }

    /// <summary>The voxel size all datasets share, Z, Y, X, in nanometres.</summary>
    public ImmutableArray<double> VoxelSize => Datasets[0].VoxelSize;

    /// <summary>The number of foreground classes K: the largest class id of any dataset (0 when none has labels).</summary>
    public int ClassCount => Datasets.SelectMany(d => d.Labels).Select(l => l.ClassId).DefaultIfEmpty(0).Max();

    /// <summary>incasem's default data directory, <c>~/incasem/data</c>, against which <see cref="SemanticDataset.File"/> is resolved.</summary>
    public static string DefaultDataDirectory => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "incasem", "data");

    /// <summary>Reads and checks a configuration file.</summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SemanticDataConfigurationException">The JSON is malformed, or a field is missing or invalid.</exception>
    public static SemanticDataConfiguration Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"The data configuration '{path}' does not exist.", path);
        }

        return Parse(System.IO.File.ReadAllText(path), path);
    }

    /// <summary>Parses and checks a configuration.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Where it came from, for messages (a file name).</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="SemanticDataConfigurationException">The JSON is malformed, or a field is missing or invalid.</exception>
    public static SemanticDataConfiguration Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw new SemanticDataConfigurationException(source, null, null, $"is not valid JSON: {exception.Message}", exception);
        }

        if (root is not JsonObject datasets || datasets.Count == 0)
        {
            throw new SemanticDataConfigurationException(source, null, null, "must be a JSON object with at least one dataset, e.g. { \"cell_6\": { \"file\": …, \"offset\": …, … } }.");
        }

        var parsed = ImmutableArray.CreateBuilder<SemanticDataset>(datasets.Count);
        foreach (var (name, node) in datasets)
        {
            var dataset = ParseDataset(source, name, node);
            if (parsed.Count > 0 && !dataset.VoxelSize.SequenceEqual(parsed[0].VoxelSize))
            {
                throw new SemanticDataConfigurationException(source, name, "voxel_size", $"is [{string.Join(", ", dataset.VoxelSize)}] nm but dataset '{parsed[0].Name}' has [{string.Join(", ", parsed[0].VoxelSize)}]; all datasets must share one voxel size.");
            }

            parsed.Add(dataset);
        }

        return new SemanticDataConfiguration { Source = source, Datasets = parsed.MoveToImmutable() };
    }

    /// <summary>The container of <paramref name="dataset"/> resolved against <paramref name="dataDirectory"/> (an absolute <see cref="SemanticDataset.File"/> stays as it is).</summary>
    /// <param name="dataset">One of the configuration's datasets.</param>
    /// <param name="dataDirectory">The data directory; null for <see cref="DefaultDataDirectory"/>.</param>
    /// <returns>The container's full path.</returns>
    public static string ResolveFile(SemanticDataset dataset, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Path.GetFullPath(Path.Combine(dataDirectory ?? DefaultDataDirectory, dataset.File));
    }
}
