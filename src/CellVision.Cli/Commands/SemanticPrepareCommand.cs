using System.CommandLine;
using System.Globalization;
using CellVision.IO.Zarr;
using CellVision.Segmentation;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary>
/// <c>cellvision semantic prepare</c>: TIFF sections of raw EM and organelle labels into one Zarr container as incasem
/// prepares its data, with the metric masks and a data-configuration JSON that <c>semantic train</c> reads.
/// </summary>
internal static class SemanticPrepareCommand
{
    internal static Command Create(CommandContext context)
    {
        var arrayDefaults = new SectionsToZarrOptions();
        var maskDefaults = new MetricExclusionMaskOptions();
        var raw = new Option<string>("--raw") { Description = "Raw EM sections: a folder of NAME_N.tif files (N the section number, no gaps) or a multi-page TIFF; 8-bit values", Required = true };
        var labels = new Option<string[]>("--label") { Description = "An organelle's labels NAME=PATH (sections as --raw, nonzero inside), written to volumes/labels/NAME as uint32; repeat for classes 1, 2, … in order" };
        var mask = new Option<string?>("--mask") { Description = "Sample mask sections (nonzero inside the cell), written to volumes/mask" };
        var output = new Option<string>("--out") { Description = "Zarr container to create (must not exist)", Required = true };
        var voxelSize = Parsing.ZyxNanometres("--voxel-size", "Voxel size Z,Y,X in nm, written as funlib's resolution", [.. arrayDefaults.Resolution]);
        var offset = Parsing.Extent("--offset", "First voxel Z,Y,X taken from the sections; the arrays' funlib offset is this times the voxel size", (0, 0, 0));
        var shape = new Option<string?>("--shape") { Description = "Extent Z,Y,X taken from --offset [default: to the end of the sections]" };
        var chunks = Parsing.Size("--chunks", "Chunk extent Z,Y,X of every array", (128, 128, 128));
        var invert = new Option<bool>("--invert") { Description = "Write the raw image as 255 − value" };
        var metricMasks = new Option<bool>("--metric-masks") { Description = "Also write each label's metric mask to volumes/metric_masks/NAME (255 counted, 0 in the band around boundaries)" };
        var inner = new Option<int>("--inner-width") { Description = "With --metric-masks: object voxels within this taxicab distance of the background are excluded", DefaultValueFactory = _ => maskDefaults.InnerWidth };
        var outer = new Option<int>("--outer-width") { Description = "With --metric-masks: background voxels within this taxicab distance of the object are excluded", DefaultValueFactory = _ => maskDefaults.OuterWidth };
        var withinSections = new Option<bool>("--within-sections") { Description = "With --metric-masks: measure the band within each Z section (serial sections) instead of with incasem's 3-D cross" };
        var config = new Option<string?>("--config") { Description = "Also write a data-configuration JSON naming the container's arrays (its absolute path), for semantic train --config" };
        var name = new Option<string?>("--name") { Description = "The dataset's key in the configuration [default: the container's name without extension]" };
        var command = new Command("prepare", "Write TIFF sections of raw EM and organelle labels into one Zarr container as incasem prepares its data (funlib resolution and offset in nm, zlib chunks), with metric masks and a data configuration")
        {
            raw, labels, mask, output, voxelSize, offset, shape, chunks, invert, metricMasks, inner, outer, withinSections, config, name,
        };
        command.SetAction(result => context.Guard(() =>
        {
            var named = new List<(string Name, string Path)>();
            foreach (var label in result.GetValue(labels) ?? [])
            {
                var split = label.IndexOf('=', StringComparison.Ordinal);
                if (split <= 0 || split == label.Length - 1 || !SemanticContainerLayout.IsValidName(label[..split]))
                {
                    return context.Fail($"--label '{label}' must be NAME=PATH, NAME of ASCII letters, digits, '_', '-' and '.' (e.g. mito=labels/mito).");
                }

                named.Add((label[..split], label[(split + 1)..]));
            }

            if (named.Select(l => l.Name).Distinct(StringComparer.Ordinal).Count() != named.Count)
            {
                return context.Fail($"--label names repeat ({string.Join(", ", named.Select(l => l.Name))}); give each organelle once.");
            }

            if (result.GetValue(metricMasks) && named.Count == 0)
            {
                return context.Fail("--metric-masks needs at least one --label.");
            }

            long[]? extent = null;
            if (result.GetValue(shape) is { } text)
            {
                var parts = text.Split(',');
                if (parts.Length != 3 || !parts.All(p => long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0))
                {
                    return context.Fail($"--shape takes three positive integers Z,Y,X, not '{text}'.");
                }

                extent = [.. parts.Select(p => long.Parse(p, CultureInfo.InvariantCulture))];
            }

            var target = result.GetValue(output)!;
            var (oz, oy, ox) = result.GetValue(offset);
            var (cz, cy, cx) = result.GetValue(chunks);
            var request = new SemanticPreparationRequest(
                result.GetValue(raw)!,
                named,
                result.GetValue(mask),
                target,
                new SectionsToZarrOptions
                {
                    Resolution = result.GetValue(voxelSize)!,
                    Offset = [oz, oy, ox],
                    Shape = extent,
                    Chunks = [cz, cy, cx],
                    Invert = result.GetValue(invert),
                },
                result.GetValue(metricMasks) ? new MetricExclusionMaskOptions { InnerWidth = result.GetValue(inner), OuterWidth = result.GetValue(outer), WithinSections = result.GetValue(withinSections) } : null,
                result.GetValue(config),
                result.GetValue(name) ?? Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(target)));
            var entry = SemanticPreparation.Prepare(request, line => context.Console.WriteLine(line), context.CancellationToken);
            context.Console.WriteLine($"written {target}: {string.Join('×', entry.Shape)} voxels of {string.Join('×', entry.VoxelSize)} nm, {entry.Labels.Length} label(s)");
            if (request.Config is { } configPath)
            {
                context.Console.WriteLine($"data configuration '{entry.Name}' written to {configPath}");
            }

            return 0;
        }));
        return command;
    }
}
