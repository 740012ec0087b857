using System.CommandLine;
using System.Globalization;
using System.Numerics;
using CellVision.Core.Volumes;
using CellVision.Evaluation;
using CellVision.IO.Movies;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;
using CellVision.IO.Zarr.V3;
using CellVision.Segmentation;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary><c>cellvision semantic prepare|train|predict|metric-mask|evaluate</c>: incasem's data preparation, training, prediction, metric exclusion band and reported scores.</summary>
internal static class SemanticCommand
{
    internal static Command Create(CommandContext context)
    {
        var command = new Command("semantic", "Semantic segmentation of organelles (incasem): data preparation from TIFF sections, training, block-wise prediction, the metric exclusion mask and the scores as reported");
        command.Subcommands.Add(SemanticPrepareCommand.Create(context));
        command.Subcommands.Add(SemanticTrainCommand.Create(context));
        command.Subcommands.Add(SemanticPredictCommand.Create(context));
        command.Subcommands.Add(MetricMask(context));
        command.Subcommands.Add(Evaluate(context));
        return command;
    }

    private static Command MetricMask(CommandContext context)
    {
        var defaults = new MetricExclusionMaskOptions();
        var labels = new Option<string>("--labels") { Description = "Label volume (any integer type; TIFF, Zarr, OME-Zarr, HDF5 file.h5/dataset or any format convert reads)", Required = true };
        var output = new Option<string>("--out") { Description = "uint8 mask to write: 255 counted, 0 excluded (.tif, or a Zarr array; must not exist)", Required = true };
        var inner = new Option<int>("--inner-width") { Description = "Object voxels within this taxicab distance of the background are excluded (scipy binary_erosion iterations)", DefaultValueFactory = _ => defaults.InnerWidth };
        var outer = new Option<int>("--outer-width") { Description = "Background voxels within this taxicab distance of the object are excluded (scipy binary_dilation iterations)", DefaultValueFactory = _ => defaults.OuterWidth };
        var classId = new Option<long?>("--class") { Description = "The label value that is the object; every nonzero label when left out" };
        var block = Parsing.Extent("--block", "Blocks Z,Y,X in which a Zarr array is processed", defaults.BlockShape);
        var withinSections = new Option<bool>("--within-sections") { Description = "Measure the band within each Z section (serial sections) instead of with incasem's 3-D cross" };
        var command = new Command("metric-mask", "Exclude a band around object boundaries from the scores (incasem 60_create_metric_mask.py); Zarr labels to a Zarr mask go block by block")
        {
            labels, output, inner, outer, classId, block, withinSections,
        };
        command.SetAction(result => context.Guard(() =>
        {
            var options = new MetricExclusionMaskOptions { InnerWidth = result.GetValue(inner), OuterWidth = result.GetValue(outer), ClassId = result.GetValue(classId), BlockShape = result.GetValue(block), WithinSections = result.GetValue(withinSections) };
            options.Validate();
            var source = result.GetValue(labels)!;
            var target = result.GetValue(output)!;
            if (File.Exists(target) || Directory.Exists(target))
            {
                return context.Fail($"'{target}' already exists; choose a new name so that nothing is overwritten.");
            }

            var toTiff = MovieFiles.Guess(target, forWriting: true) == MovieFormat.Tiff;
            if (!toTiff && File.Exists(Path.Combine(source, ".zarray")))
            {
                var excluded = WriteChunked(ZarrArray.Open(source), target, options, context.CancellationToken);
                context.Console.WriteLine($"excluded {excluded} voxels; written to {target}");
                return 0;
            }

            using var volume = LabelVolumeFiles.Read(source, context.CancellationToken);
            using var mask = volume.Accept(new MaskVisitor(options, context.CancellationToken));
            Write(target, mask, toTiff, context.CancellationToken);
            context.Console.WriteLine($"excluded {mask.Span.Count(MetricExclusionMask.Excluded)} voxels; written to {target}");
            return 0;
        }));
        return command;
    }

    private static Command Evaluate(CommandContext context)
    {
        var defaults = new SemanticEvaluationOptions();
        var probabilities = new Option<string>("--probabilities") { Description = "Probability (softmax) volumes in [0, 1], float32 TIFF or Zarr, comma-separated, one per --class", Required = true };
        var labels = new Option<string>("--labels") { Description = "Ground-truth classes (any integer type, any format convert reads)", Required = true };
        var classes = new Option<string>("--class") { Description = "The classes scored, comma-separated, one per probability volume", DefaultValueFactory = _ => "1" };
        var mask = new Option<string?>("--mask") { Description = "Sample mask (nonzero inside); everywhere when left out" };
        var metricMask = new Option<string?>("--metric-mask") { Description = "Metric mask (nonzero where voxels count), e.g. from 'semantic metric-mask'; everywhere when left out" };
        var threshold = new Option<double?>("--threshold") { Description = "Probability at or above which a voxel is predicted (default 0.5)" };
        var thresholds = new Option<string?>("--thresholds") { Description = "Several thresholds, comma-separated: one score per threshold, named NAME@THRESHOLD" };
        var border = new Option<int>("--border") { Description = "Voxels left out on every side (incasem 05_evaluate_metric.py --roi_padding)", DefaultValueFactory = _ => defaults.Border };
        var region = new Option<string?>("--region") { Description = "Score only this box Z0,Y0,X0,D,H,W (e.g. the region 'semantic predict' reports it covered), before --border" };
        var command = new Command("evaluate", "F1 (Dice), Jaccard, precision and recall of thresholded probabilities as incasem reports them, one 'name value' per line")
        {
            probabilities, labels, classes, mask, metricMask, threshold, thresholds, border, region,
        };
        command.SetAction(result => context.Guard(() =>
        {
            if (result.GetValue(threshold) is not null && result.GetValue(thresholds) is not null)
            {
                return context.Fail("Give --threshold or --thresholds, not both.");
            }

            IReadOnlyList<double> levels = result.GetValue(thresholds) is { } list
                ? [.. list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t => double.Parse(t, CultureInfo.InvariantCulture))]
                : [result.GetValue(threshold) ?? 0.5];
            var options = new SemanticEvaluationOptions { Thresholds = levels, Border = result.GetValue(border) };
            options.Validate();
            var probabilityPaths = result.GetValue(probabilities)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var classIds = result.GetValue(classes)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => long.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            if (probabilityPaths.Length != classIds.Length)
            {
                return context.Fail($"--probabilities names {probabilityPaths.Length} volume(s) but --class names {classIds.Length} class(es); give one probability volume per class.");
            }

            using var truth = LabelVolumeFiles.Read(result.GetValue(labels)!, context.CancellationToken);
            using var sample = result.GetValue(mask) is { } maskPath ? ReadBinary(maskPath, context.CancellationToken) : null;
            using var metric = result.GetValue(metricMask) is { } metricPath ? ReadBinary(metricPath, context.CancellationToken) : null;
            var scores = new List<SemanticScores>();
            for (var c = 0; c < classIds.Length; c++)
            {
                using var probability = ReadProbabilities(probabilityPaths[c], context.CancellationToken);
                scores.AddRange(truth.Accept(new ScoreVisitor(probability, classIds[c], sample, metric, options, result.GetValue(region) is { } box ? SemanticPredictCommand.ParseRegion(box) : null)));
            }

            foreach (var level in levels)
            {
                var suffix = levels.Count > 1 ? "@" + level.ToString(CultureInfo.InvariantCulture) : string.Empty;
                var atLevel = scores.Where(s => s.Threshold == level).ToList();
                context.Console.WriteLine($"F1{suffix} {Number(atLevel.Average(s => s.F1))}");
                foreach (var score in atLevel)
                {
                    var name = $"class_{score.ClassId}{suffix}";
                    context.Console.WriteLine($"F1_{name} {Number(score.F1)}");
                    context.Console.WriteLine($"jaccard_{name} {Number(score.Jaccard)}");
                    context.Console.WriteLine($"precision_{name} {Number(score.Precision)}");
                    context.Console.WriteLine($"recall_{name} {Number(score.Recall)}");
                    context.Console.WriteLine($"tp_{name} {score.TruePositives}");
                    context.Console.WriteLine($"fp_{name} {score.FalsePositives}");
                    context.Console.WriteLine($"fn_{name} {score.FalseNegatives}");
                    context.Console.WriteLine($"voxels_{name} {score.Voxels}");
                }
            }

            return 0;
        }));
        return command;
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The mask of a Zarr array block by block into a zlib-3 uint8 Zarr array (incasem's compressor), funlib attributes carried over.</summary>
    private static long WriteChunked(ZarrArray labels, string target, MetricExclusionMaskOptions options, CancellationToken cancellationToken)
    {
        var partial = $"{Path.TrimEndingDirectorySeparator(target)}.{Guid.NewGuid():N}.partial";
        try
        {
            var output = ZarrArray.Create<byte>(partial, [.. labels.Shape], labels.Metadata.Chunks, new ZlibCompressor(3), fillValue: MetricExclusionMask.Counted);
            var type = labels.Metadata.DataType;
            Action<IChunkedVolume, IChunkedVolume, MetricExclusionMaskOptions?, IProgress<double>?, CancellationToken> compute = (type.Kind, type.Size) switch
            {
                (ZarrElementKind.UInt, 1) => MetricExclusionMask.ComputeChunked<byte>,
                (ZarrElementKind.Int, 1) => MetricExclusionMask.ComputeChunked<sbyte>,
                (ZarrElementKind.UInt, 2) => MetricExclusionMask.ComputeChunked<ushort>,
                (ZarrElementKind.Int, 2) => MetricExclusionMask.ComputeChunked<short>,
                (ZarrElementKind.UInt, 4) => MetricExclusionMask.ComputeChunked<uint>,
                (ZarrElementKind.Int, 4) => MetricExclusionMask.ComputeChunked<int>,
                (ZarrElementKind.UInt, 8) => MetricExclusionMask.ComputeChunked<ulong>,
                (ZarrElementKind.Int, 8) => MetricExclusionMask.ComputeChunked<long>,
                _ => throw new NotSupportedException($"'{labels.Store.Root}' holds {type} voxels; labels must be integers."),
            };
            compute(labels, output, options, null, cancellationToken);
            FunlibAttributes.Read(labels)?.WriteTo(output);
            var excluded = 0L;
            foreach (var chunk in output.ChunksTouching(output.Bounds))
            {
                var box = new Box([.. chunk.Select((c, a) => c * output.Metadata.Chunks[a])], output.Metadata.Chunks).ClipTo([.. output.Shape]);
                excluded += output.Read<byte>(box, cancellationToken: cancellationToken).AsSpan().Count(MetricExclusionMask.Excluded);
            }

            Directory.Move(partial, target);
            return excluded;
        }
        finally
        {
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }
        }
    }

    private static void Write(string target, Volume<byte> mask, bool toTiff, CancellationToken cancellationToken)
    {
        if (toTiff)
        {
            TiffWriter.Write(target, mask, new TiffWriteOptions { Compression = TiffCompression.Deflate });
            return;
        }

        var partial = $"{Path.TrimEndingDirectorySeparator(target)}.{Guid.NewGuid():N}.partial";
        try
        {
            long[] shape = [mask.Depth, mask.Height, mask.Width];
            var array = ZarrArray.Create<byte>(partial, shape, [.. shape.Select(s => Math.Min(s, 128))], new ZlibCompressor(3), fillValue: MetricExclusionMask.Counted);
            array.Write(mask, cancellationToken: cancellationToken);
            Directory.Move(partial, target);
        }
        finally
        {
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }
        }
    }

    /// <summary>A float32 probability volume from a Zarr array (v2 or v3) or a float32 TIFF stack.</summary>
    private static Volume<float> ReadProbabilities(string path, CancellationToken cancellationToken)
    {
        ChunkedArray? array = File.Exists(Path.Combine(path, ".zarray")) ? ZarrArray.Open(path) : File.Exists(Path.Combine(path, "zarr.json")) ? ZarrV3Array.Open(path) : null;
        if (array is not null)
        {
            var type = array is ZarrArray v2 ? v2.Metadata.DataType : ((ZarrV3Array)array).DataType;
            if (type.Kind != ZarrElementKind.Float || type.Size != 4 || array.Rank != 3)
            {
                throw new NotSupportedException($"'{path}' holds {array.Rank}-dimensional {type} voxels; probabilities are a Z, Y, X float32 array.");
            }

            return array.ReadVolume<float>(array.Bounds, cancellationToken);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist.", path);
        }

        using var tiff = TiffFile.Open(path);
        var page = tiff.Pages[0];
        if (page.SampleFormat != TiffSampleFormat.FloatingPoint || page.BitsPerSample != 32)
        {
            throw new NotSupportedException($"'{path}' holds {page.BitsPerSample}-bit {page.SampleFormat} voxels; probabilities are float32 (a TIFF or a Zarr array).");
        }

        return tiff.ReadStack<float>(cancellationToken);
    }

    /// <summary>A mask volume as bytes, 1 where the file's voxel is nonzero.</summary>
    private static Volume<byte> ReadBinary(string path, CancellationToken cancellationToken)
    {
        using var volume = LabelVolumeFiles.Read(path, cancellationToken);
        return volume.Accept(new BinaryVisitor());
    }

    private sealed class MaskVisitor(MetricExclusionMaskOptions options, CancellationToken cancellationToken) : ILabelVolumeVisitor<Volume<byte>>
    {
        public Volume<byte> Visit<T>(Volume<T> volume)
            where T : unmanaged, IBinaryInteger<T> => MetricExclusionMask.Compute(volume, options, cancellationToken);
    }

    private sealed class BinaryVisitor : ILabelVolumeVisitor<Volume<byte>>
    {
        public Volume<byte> Visit<T>(Volume<T> volume)
            where T : unmanaged, IBinaryInteger<T>
        {
            var binary = new Volume<byte>(volume.Depth, volume.Height, volume.Width, volume.VoxelSize, volume.Origin);
            var source = volume.Span;
            var target = binary.Span;
            for (var i = 0; i < source.Length; i++)
            {
                target[i] = source[i] != T.Zero ? (byte)1 : (byte)0;
            }

            return binary;
        }
    }

    private sealed class ScoreVisitor(Volume<float> probabilities, long classId, Volume<byte>? mask, Volume<byte>? metricMask, SemanticEvaluationOptions options, Box? region) : ILabelVolumeVisitor<IReadOnlyList<SemanticScores>>
    {
        public IReadOnlyList<SemanticScores> Visit<T>(Volume<T> volume)
            where T : unmanaged, IBinaryInteger<T>
        {
            if (region is not { } box)
            {
                return SemanticEvaluator.Evaluate(probabilities, volume, classId, mask, metricMask, options);
            }

            using var labels = volume.Crop(box);
            using var cropped = probabilities.Crop(box);
            using var sample = mask?.Crop(box);
            using var metric = metricMask?.Crop(box);
            return SemanticEvaluator.Evaluate(cropped, labels, classId, sample, metric, options);
        }
    }
}
