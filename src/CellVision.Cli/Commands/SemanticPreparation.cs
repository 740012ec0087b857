using CellVision.IO.Tiff;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;
using CellVision.Segmentation;

namespace CellVision.Cli.Commands;

/// <summary>What <c>semantic prepare</c> writes: the inputs, the container and the optional metric masks and configuration.</summary>
/// <param name="Raw">The raw EM sections (a folder or a multi-page TIFF).</param>
/// <param name="Labels">Each organelle's name and sections, in class order.</param>
/// <param name="Mask">The sample mask's sections, or null.</param>
/// <param name="Output">The Zarr container to create.</param>
/// <param name="Arrays">Voxel size, crop and chunks of every array; its type is chosen per array.</param>
/// <param name="MetricMasks">Band widths of the labels' metric masks, or null for none.</param>
/// <param name="Config">The data-configuration JSON to write, or null.</param>
/// <param name="Name">The configuration entry's name.</param>
internal sealed record SemanticPreparationRequest(
    string Raw,
    IReadOnlyList<(string Name, string Path)> Labels,
    string? Mask,
    string Output,
    SectionsToZarrOptions Arrays,
    MetricExclusionMaskOptions? MetricMasks,
    string? Config,
    string Name);

/// <summary>
/// incasem's data preparation from TIFF sections: the raw image (uint8), each organelle's labels (uint32) and the
/// sample mask (uint8) as funlib datasets of one Zarr container in incasem's layout, the labels' metric masks, and the
/// data-configuration entry that names them. The container is written under a temporary name and renamed when complete.
/// </summary>
internal static class SemanticPreparation
{
    private static readonly ZarrDataType UInt8 = new(ZarrElementKind.UInt, 1);
    private static readonly ZarrDataType UInt32 = new(ZarrElementKind.UInt, 4);

    /// <summary>Checks every input, then writes the container and the configuration.</summary>
    /// <param name="request">The inputs and outputs.</param>
    /// <param name="log">Receives one line per array written.</param>
    /// <param name="cancellationToken">Stops between sections and chunks; nothing is left behind.</param>
    /// <returns>The configuration entry of the container.</returns>
    internal static SemanticDataset Prepare(SemanticPreparationRequest request, Action<string> log, CancellationToken cancellationToken)
    {
        request.Arrays.Validate();
        request.MetricMasks?.Validate();
        foreach (var target in new[] { request.Output, request.Config })
        {
            if (target is not null && (File.Exists(target) || Directory.Exists(target)))
            {
                throw new IOException($"'{target}' already exists; choose a new name so that nothing is overwritten.");
            }
        }

        if (request.Config is { } configPath && Path.GetDirectoryName(Path.GetFullPath(configPath)) is { } configFolder && !Directory.Exists(configFolder))
        {
            throw new DirectoryNotFoundException($"The folder of --config '{configPath}' does not exist.");
        }

        foreach (var (name, _) in request.Labels)
        {
            _ = SemanticContainerLayout.Labels(name);
        }

        var sections = new List<TiffSections>();
        try
        {
            var raw = Open(sections, request.Raw);
            var labels = request.Labels.Select(l => Open(sections, l.Path)).ToList();
            var mask = request.Mask is null ? null : Open(sections, request.Mask);
            foreach (var other in labels.Append(mask).OfType<TiffSections>())
            {
                if (!other.Shape.SequenceEqual(raw.Shape))
                {
                    throw new ArgumentException($"'{other.Source}' is {string.Join('×', other.Shape)} voxels (Z×Y×X) but the raw image '{raw.Source}' is {string.Join('×', raw.Shape)}; labels and masks must cover the raw image voxel for voxel.");
                }
            }

            var output = Path.GetFullPath(request.Output);
            var partial = $"{Path.TrimEndingDirectorySeparator(output)}.{Guid.NewGuid():N}.partial";
            ZarrArray rawArray;
            try
            {
                ZarrGroup.Create(partial);
                rawArray = Write(raw, partial, SemanticContainerLayout.Raw, request.Arrays with { DataType = UInt8 }, log, cancellationToken);
                var unlabelled = request.Arrays with { Invert = false };
                for (var i = 0; i < labels.Count; i++)
                {
                    var labelArray = Write(labels[i], partial, SemanticContainerLayout.Labels(request.Labels[i].Name), unlabelled with { DataType = UInt32 }, log, cancellationToken);
                    if (request.MetricMasks is { } widths)
                    {
                        WriteMetricMask(labelArray, partial, SemanticContainerLayout.MetricMask(request.Labels[i].Name), widths, log, cancellationToken);
                    }
                }

                if (mask is not null)
                {
                    Write(mask, partial, SemanticContainerLayout.Mask, unlabelled with { DataType = UInt8 }, log, cancellationToken);
                }

                Directory.Move(partial, output);
            }
            finally
            {
                if (Directory.Exists(partial))
                {
                    Directory.Delete(partial, recursive: true);
                }
            }

            var entry = SemanticContainerLayout.Entry(
                request.Name, output, request.Arrays.Offset, [.. rawArray.Shape], request.Arrays.Resolution,
                [.. request.Labels.Select(l => l.Name)], mask is not null, request.MetricMasks is not null && labels.Count > 0);
            if (request.Config is { } config)
            {
                new SemanticDataConfiguration { Source = config, Datasets = [entry] }.Save(config);
            }

            return entry;
        }
        finally
        {
            sections.ForEach(s => s.Dispose());
        }
    }

    private static TiffSections Open(List<TiffSections> opened, string path)
    {
        var sections = TiffSections.Open(path);
        opened.Add(sections);
        return sections;
    }

    private static ZarrArray Write(TiffSections sections, string container, string path, SectionsToZarrOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        CreateGroups(container, path);
        var array = SectionsToZarr.Write(sections, Path.Combine(container, path), options, cancellationToken: cancellationToken);
        log($"{path}: {string.Join('×', array.Shape)} {options.DataType} from {sections.Source}");
        return array;
    }

    /// <summary>The metric mask of a label array block by block, a zlib-3 uint8 array of its shape, chunks and funlib attributes (as incasem's <c>60_create_metric_mask.py</c> writes it).</summary>
    private static void WriteMetricMask(ZarrArray labels, string container, string path, MetricExclusionMaskOptions widths, Action<string> log, CancellationToken cancellationToken)
    {
        CreateGroups(container, path);
        var chunks = labels.Metadata.Chunks;
        var mask = ZarrArray.Create<byte>(Path.Combine(container, path), [.. labels.Shape], [.. chunks], new ZlibCompressor(3), fillValue: MetricExclusionMask.Counted);
        FunlibAttributes.Read(labels)?.WriteTo(mask);
        var options = widths with { BlockShape = ((int)chunks[0], (int)chunks[1], (int)chunks[2]) };
        MetricExclusionMask.ComputeChunked<uint>(labels, mask, options, cancellationToken: cancellationToken);
        log($"{path}: band of {options.InnerWidth} voxels inside and {options.OuterWidth} outside excluded");
    }

    /// <summary>Creates the groups above <paramref name="path"/> (e.g. <c>volumes</c> and <c>volumes/labels</c>).</summary>
    private static void CreateGroups(string container, string path)
    {
        var parts = path.Split('/');
        for (var depth = 1; depth < parts.Length; depth++)
        {
            ZarrGroup.Create(Path.Combine([container, .. parts[..depth]]));
        }
    }
}
