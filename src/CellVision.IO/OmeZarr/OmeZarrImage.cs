using System.Text.Json.Nodes;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.IO.OmeZarr;

/// <summary>
/// An OME-Zarr image, version 0.4 (Zarr v2) or 0.5 (Zarr v3): a group whose <c>multiscales</c> metadata lists
/// resolution levels with physical scales and translations, optionally with label images under <c>labels/</c>.
/// Written files open in neuroglancer (units are written as "micrometer") and in OME-Zarr readers.
/// </summary>
public sealed class OmeZarrImage
{
    private OmeZarrImage(OmeGroup group, IReadOnlyList<OmeZarrAxis> axes, IReadOnlyList<OmeZarrLevel> levels, string? name)
    {
        this.group = group;
        Axes = axes;
        Levels = levels;
        Name = name;
    }

    private readonly OmeGroup group;

    /// <summary>The OME-Zarr version: "0.4" (Zarr v2) or "0.5" (Zarr v3).</summary>
    public string Version => group.Version;

    /// <summary>The axes, slowest first.</summary>
    public IReadOnlyList<OmeZarrAxis> Axes { get; }

    /// <summary>The resolution levels, largest first.</summary>
    public IReadOnlyList<OmeZarrLevel> Levels { get; }

    /// <summary>The multiscale's name, or null.</summary>
    public string? Name { get; }

    /// <summary>Opens an OME-Zarr 0.4 or 0.5 image group.</summary>
    /// <param name="path">The group's folder.</param>
    /// <exception cref="ZarrFormatException">The multiscales metadata is missing or invalid, or a dataset path leaves the group.</exception>
    public static OmeZarrImage Open(string path)
    {
        var group = OmeGroup.Open(path);
        var attributesPath = group.MetadataFile;
        var multiscales = group.ReadOme()["multiscales"] as JsonArray;
        if (multiscales is not { Count: > 0 } || multiscales[0] is not JsonObject multiscale)
        {
            throw new ZarrFormatException(attributesPath, "multiscales", "is missing or empty.");
        }

        if (multiscale["axes"] is not JsonArray axesJson || axesJson.Count is < 2 or > 5)
        {
            throw new ZarrFormatException(attributesPath, "multiscales[0].axes", "must list 2 to 5 axes.");
        }

        var axes = axesJson.Select(a => new OmeZarrAxis(
            a?["name"]?.GetValue<string>() ?? throw new ZarrFormatException(attributesPath, "multiscales[0].axes", "has an axis without a name."),
            a["type"]?.GetValue<string>(),
            a["unit"]?.GetValue<string>())).ToList();
        if (axes.Select(a => a.Name).Distinct().Count() != axes.Count)
        {
            throw new ZarrFormatException(attributesPath, "multiscales[0].axes", "has duplicate axis names.");
        }

        if (multiscale["datasets"] is not JsonArray datasets || datasets.Count == 0)
        {
            throw new ZarrFormatException(attributesPath, "multiscales[0].datasets", "is missing or empty.");
        }

        var levels = new List<OmeZarrLevel>();
        foreach (var dataset in datasets)
        {
            var datasetPath = dataset?["path"]?.GetValue<string>() ?? throw new ZarrFormatException(attributesPath, "multiscales[0].datasets", "has a dataset without a path.");
            var array = group.OpenArray(datasetPath);
            if (array.Rank != axes.Count)
            {
                throw new ZarrFormatException(attributesPath, $"datasets/{datasetPath}", $"has {array.Rank} dimensions but {axes.Count} axes are declared.");
            }

            double[]? scale = null, translation = null;
            foreach (var transform in dataset["coordinateTransformations"] as JsonArray ?? [])
            {
                switch (transform?["type"]?.GetValue<string>())
                {
                    case "scale": scale = Vector(transform["scale"], axes.Count, attributesPath, datasetPath); break;
                    case "translation": translation = Vector(transform["translation"], axes.Count, attributesPath, datasetPath); break;
                }
            }

            levels.Add(new OmeZarrLevel(datasetPath, array, scale ?? Enumerable.Repeat(1.0, axes.Count).ToArray(), translation ?? new double[axes.Count]));
        }

        return new OmeZarrImage(group, axes, levels, multiscale["name"]?.GetValue<string>());
    }

    /// <summary>Writes a 3-D image (axes z, y, x in micrometres) with a resolution pyramid.</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="path">The group folder to create.</param>
    /// <param name="volume">Level 0; its voxel size and origin become the scale and translation.</param>
    /// <param name="options">Levels, chunks and compressor; null for defaults.</param>
    /// <param name="cancellationToken">Stops between levels.</param>
    public static OmeZarrImage Write<T>(string path, Volume<T> volume, OmeZarrWriteOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        options ??= new OmeZarrWriteOptions();
        var group = OmeGroup.Create(path, options.Version);
        WriteMultiscale(group, volume, options, downsampleByAveraging: true, cancellationToken);
        return Open(path);
    }

    /// <summary>Adds a label image (integer voxels, same shape as level 0) under <c>labels/<paramref name="name"/></c>, with the same number of levels.</summary>
    /// <typeparam name="T">An integer voxel type.</typeparam>
    /// <param name="name">The label image's name (one path segment).</param>
    /// <param name="labels">Label voxels.</param>
    /// <param name="colors">Optional RGBA colour per label value.</param>
    /// <param name="cancellationToken">Stops between levels.</param>
    public void WriteLabels<T>(string name, Volume<T> labels, IReadOnlyDictionary<long, (byte R, byte G, byte B, byte A)>? colors = null, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(labels);
        if (ZarrDataType.Of<T>().Kind is ZarrElementKind.Float or ZarrElementKind.Bool)
        {
            throw new ArgumentException($"Label images must be integers, not {typeof(T).Name}.", nameof(labels));
        }

        var level0 = Levels[0].Array.Shape;
        if (!level0.TakeLast(3).SequenceEqual(labels.Shape))
        {
            throw new ArgumentException($"The labels ({string.Join("×", labels.Shape)}) must match the image's level 0 ({string.Join("×", level0)}).", nameof(labels));
        }

        var labelsGroup = group.CreateChild("labels");
        var labelsOme = labelsGroup.ReadOme();
        var list = labelsOme["labels"] as JsonArray ?? [];
        if (!list.Any(n => n?.GetValue<string>() == name))
        {
            list.Add(name);
        }

        labelsGroup.WriteOme(new JsonObject { ["labels"] = list.DeepClone() });
        var labelGroup = labelsGroup.CreateChild(name);
        var options = new OmeZarrWriteOptions { Levels = Levels.Count, Name = name, Version = Version };
        WriteMultiscale(labelGroup, labels, options, downsampleByAveraging: false, cancellationToken);
        var attributes = labelGroup.ReadOme();
        var imageLabel = new JsonObject { ["source"] = new JsonObject { ["image"] = "../../" } };
        if (Version == "0.4")
        {
            imageLabel["version"] = "0.4";
        }

        if (colors is not null)
        {
            imageLabel["colors"] = new JsonArray(colors.OrderBy(c => c.Key).Select(c => (JsonNode)new JsonObject
            {
                ["label-value"] = c.Key,
                ["rgba"] = new JsonArray(c.Value.R, c.Value.G, c.Value.B, c.Value.A),
            }).ToArray());
        }

        attributes["image-label"] = imageLabel;
        labelGroup.WriteOme(attributes);
    }

    /// <summary>Opens label image <paramref name="name"/> of this image.</summary>
    /// <param name="name">A name listed in <c>labels/.zattrs</c>.</param>
    public OmeZarrImage OpenLabels(string name)
    {
        var labelsGroup = OmeGroup.Open(group.ChildPath("labels"));
        var names = (labelsGroup.ReadOme()["labels"] as JsonArray)?.Select(n => n?.GetValue<string>()).ToList() ?? [];
        if (!names.Contains(name))
        {
            throw new ArgumentException($"'{name}' is not listed in {labelsGroup.MetadataFile} (labels: {string.Join(", ", names)}).", nameof(name));
        }

        return Open(labelsGroup.ChildPath(name));
    }

    /// <summary>Converts a unit name to the UDUNITS form OME-Zarr and neuroglancer expect ("micron", "µm", "um" → "micrometer").</summary>
    /// <param name="unit">A unit name.</param>
    public static string NormaliseUnit(string unit) => unit.Trim() switch
    {
        "micron" or "microns" or "µm" or "um" or "\u03bcm" => "micrometer",
        "nm" => "nanometer",
        "mm" => "millimeter",
        "s" or "sec" => "second",
        var other => other,
    };

    private static void WriteMultiscale<T>(OmeGroup group, Volume<T> volume, OmeZarrWriteOptions options, bool downsampleByAveraging, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var voxel = volume.VoxelSize;
        var factors = OmeZarrPyramid.Factors(volume, options.Levels);
        var datasets = new JsonArray();
        Volume<T>? previous = null;
        try
        {
            for (var level = 0; level < factors.Count; level++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var current = level == 0 ? volume : OmeZarrPyramid.Downsample(volume, factors[level], downsampleByAveraging);
                var chunks = options.Chunks.Select((c, i) => Math.Min(c, current.Shape[i])).ToArray();
                var array = group.CreateArray<T>(level.ToString(System.Globalization.CultureInfo.InvariantCulture), current.Shape, chunks, options.Compressor);
                array.Write(current, cancellationToken: cancellationToken);
                var (fz, fy, fx) = factors[level];
                var transforms = new JsonArray(new JsonObject { ["type"] = "scale", ["scale"] = new JsonArray(voxel.Z * fz, voxel.Y * fy, voxel.X * fx) });
                var origin = volume.Origin;
                double tz = origin.Z + (0.5 * (fz - 1) * voxel.Z), ty = origin.Y + (0.5 * (fy - 1) * voxel.Y), tx = origin.X + (0.5 * (fx - 1) * voxel.X);
                if (tz != 0 || ty != 0 || tx != 0)
                {
                    transforms.Add(new JsonObject { ["type"] = "translation", ["translation"] = new JsonArray(tz, ty, tx) });
                }

                datasets.Add(new JsonObject { ["path"] = level.ToString(System.Globalization.CultureInfo.InvariantCulture), ["coordinateTransformations"] = transforms });
                if (level > 0)
                {
                    previous?.Dispose();
                    previous = current;
                }
            }
        }
        finally
        {
            previous?.Dispose();
        }

        var unit = NormaliseUnit(options.Unit);
        var attributes = group.ReadOme();
        var multiscale = new JsonObject
        {
            ["name"] = options.Name,
            ["axes"] = new JsonArray(
                new JsonObject { ["name"] = "z", ["type"] = "space", ["unit"] = unit },
                new JsonObject { ["name"] = "y", ["type"] = "space", ["unit"] = unit },
                new JsonObject { ["name"] = "x", ["type"] = "space", ["unit"] = unit }),
            ["datasets"] = datasets,
            ["type"] = downsampleByAveraging ? "mean" : "nearest",
        };
        if (group.Version == "0.4")
        {
            multiscale["version"] = "0.4";
        }

        attributes["multiscales"] = new JsonArray(multiscale);
        group.WriteOme(attributes);
    }

    private static double[] Vector(JsonNode? node, int count, string path, string dataset)
    {
        if (node is not JsonArray array || array.Count != count)
        {
            throw new ZarrFormatException(path, $"datasets/{dataset}/coordinateTransformations", $"needs {count} numbers.");
        }

        return array.Select(v => v!.GetValue<double>()).ToArray();
    }
}
