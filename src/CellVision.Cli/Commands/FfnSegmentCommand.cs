using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CellVision.Core.Volumes;
using CellVision.IO.Movies;
using CellVision.IO.OmeZarr;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;
using CellVision.Segmentation;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary><c>cellvision ffn segment</c>: flood-filling inference over a whole volume, or subvolume by subvolume into a Zarr array.</summary>
internal static class FfnSegmentCommand
{
    internal static Command Create(CommandContext context)
    {
        var image = new Option<string>("--image") { Description = "Raw EM volume, Z,Y,X (8- or 16-bit; any format convert reads; a Zarr array with --subvolume)", Required = true };
        var model = new Option<string>("--model") { Description = "Weights from 'ffn train' or 'ffn import' (.pth)", Required = true };
        var output = new Option<string>("--out") { Description = "Labels to write: NAME.ome.zarr (the image plus labels/ffn, for neuroglancer and napari), NAME.zarr (a uint32 array) or NAME.tif (uint32)", Required = true };
        var mask = new Option<string?>("--mask") { Description = "Where seeds and field-of-view centres may go (non-zero), the image's shape; default everywhere" };
        var defaults = new FloodFillInferenceOptions();
        var mean = new Option<double>("--image-mean") { Description = "Subtracted from raw intensities (as in training)", DefaultValueFactory = _ => defaults.ImageMean };
        var deviation = new Option<double>("--image-stddev") { Description = "Raw intensities are divided by this after the mean is subtracted", DefaultValueFactory = _ => defaults.ImageStandardDeviation };
        var pad = new Option<double>("--pad-value") { Description = "Mask probability outside the seed (the training seed pad)", DefaultValueFactory = _ => defaults.PadValue };
        var move = new Option<double>("--move-threshold") { Description = "Mask probability at which the field of view moves (the training threshold)", DefaultValueFactory = _ => defaults.MoveThreshold };
        var segment = new Option<double>("--segment-threshold") { Description = "Mask probability that makes a voxel part of the object", DefaultValueFactory = _ => defaults.SegmentThreshold };
        var minimumSize = new Option<int>("--min-segment-size") { Description = "Objects with fewer new voxels are rejected", DefaultValueFactory = _ => defaults.MinimumSegmentSize };
        var subvolume = new Option<string?>("--subvolume") { Description = "Segment subvolumes of Z,Y,X voxels one after another into a Zarr --out (bounded memory; run again to resume)" };
        var overlap = Parsing.Extent("--overlap", "Voxels Z,Y,X that neighbouring subvolumes share", new FloodFillSubvolumeOptions().Overlap);
        var command = new Command("segment", "Segment objects with a flood-filling network, seed after seed, as google/ffn's inference does")
        {
            image, model, output, mask, mean, deviation, pad, move, segment, minimumSize, subvolume, overlap,
        };
        command.SetAction(result => context.Guard(() =>
        {
            TorchThreads.UseAvailableCores();
            var options = new FloodFillInferenceOptions
            {
                ImageMean = result.GetValue(mean),
                ImageStandardDeviation = result.GetValue(deviation),
                PadValue = result.GetValue(pad),
                MoveThreshold = result.GetValue(move),
                SegmentThreshold = result.GetValue(segment),
                MinimumSegmentSize = result.GetValue(minimumSize),
            }.Validate();
            var target = result.GetValue(output)!;
            using var network = FloodFillNetwork.Load(result.GetValue(model)!);
            var clock = Stopwatch.StartNew();
            if (result.GetValue(subvolume) is { } size)
            {
                return InSubvolumes(context, result.GetValue(image)!, target, network, options, new FloodFillSubvolumeOptions { Size = ParseExtent(size), Overlap = result.GetValue(overlap) }.Validate(), clock);
            }

            if (File.Exists(target) || Directory.Exists(target))
            {
                return context.Fail($"'{target}' already exists; choose a new name so that nothing is overwritten.");
            }

            using var raw = FfnCommand.ReadSingle(result.GetValue(image)!, context.CancellationToken);
            using var allowed = result.GetValue(mask) is { } maskPath ? FfnCommand.ReadMask(maskPath, context.CancellationToken) : null;
            using var segmented = new CellVisionContext().Segmentation.FloodFill(raw, network, options, allowed, new SeedReport(context), context.CancellationToken);
            Write(target, raw, segmented.Segmentation, context.CancellationToken);
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{segmented.Segments.Count} objects from {segmented.Attempts.Count} seeds in {segmented.Steps} steps ({segmented.Steps / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F1} steps/s, {clock.Elapsed.TotalSeconds:F0} s), written to {target}"));
            return 0;
        }));
        return command;
    }

    private static int InSubvolumes(CommandContext context, string imagePath, string target, FloodFillNetwork network, FloodFillInferenceOptions options, FloodFillSubvolumeOptions subvolumes, Stopwatch clock)
    {
        if (!File.Exists(Path.Combine(imagePath, ".zarray")))
        {
            return context.Fail($"--subvolume reads the image from a Zarr array; '{imagePath}' is not one (convert it first: cellvision convert {imagePath} image.zarr).");
        }

        var source = ZarrArray.Open(imagePath);
        if (source.Rank != 3)
        {
            return context.Fail($"'{imagePath}' has {source.Rank} dimensions; give one Z,Y,X volume.");
        }

        var resumed = Directory.Exists(target);
        var labels = resumed
            ? ZarrArray.Open(target)
            : ZarrArray.Create<uint>(target, [.. source.Shape], [.. source.Shape.Select(s => Math.Min(s, 64))], new ZlibCompressor(1), fillValue: 0);
        if (!labels.Shape.SequenceEqual(source.Shape) || labels.ElementSize != 4)
        {
            return context.Fail($"'{target}' exists but is not a uint32 array of the image's shape [{string.Join(", ", source.Shape)}]; give a new name or the labels of an earlier run to resume.");
        }

        if (resumed)
        {
            context.Console.WriteLine($"resuming into {target}: objects already there are kept");
        }

        var summary = source.ElementSize == 1
            ? FloodFillSegmenter.SegmentInSubvolumes<byte>(source, labels, network, subvolumes, options, null, new SubvolumeReport(context), context.CancellationToken)
            : FloodFillSegmenter.SegmentInSubvolumes<ushort>(source, labels, network, subvolumes, options, null, new SubvolumeReport(context), context.CancellationToken);
        context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary.Segments.Count} objects in {summary.SubvolumeCount} subvolumes, {summary.Steps} steps ({clock.Elapsed.TotalSeconds:F0} s), written to {target}"));
        return 0;
    }

    /// <summary>Writes the labels as OME-Zarr (image plus labels/ffn), a plain uint32 Zarr array or a TIFF, under a temporary name first.</summary>
    private static void Write(string target, Volume<ushort> raw, Volume<uint> labels, CancellationToken cancellationToken)
    {
        if (MovieFiles.Guess(target, forWriting: true) == MovieFormat.Tiff)
        {
            TiffWriter.Write(target, labels, new TiffWriteOptions { Compression = TiffCompression.Deflate });
            return;
        }

        var partial = $"{Path.TrimEndingDirectorySeparator(target)}.{Guid.NewGuid():N}.partial";
        try
        {
            if (target.TrimEnd('/').EndsWith(".ome.zarr", StringComparison.OrdinalIgnoreCase))
            {
                var written = OmeZarrImage.Write(partial, raw, cancellationToken: cancellationToken);
                written.WriteLabels("ffn", labels, cancellationToken: cancellationToken);
            }
            else
            {
                long[] shape = [labels.Depth, labels.Height, labels.Width];
                var array = ZarrArray.Create<uint>(partial, shape, [.. shape.Select(s => Math.Min(s, 64))], new ZlibCompressor(1), fillValue: 0);
                array.Write(labels, cancellationToken: cancellationToken);
                array.WriteAttributes(new JsonObject { ["voxel_size_xyz_um"] = new JsonArray(labels.VoxelSize.X, labels.VoxelSize.Y, labels.VoxelSize.Z) });
            }

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

    private static (int Z, int Y, int X) ParseExtent(string text)
    {
        var parts = text.Split(',');
        return parts.Length == 3 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0)
            ? (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture))
            : throw new ArgumentException($"--subvolume '{text}' is not three positive sizes Z,Y,X.");
    }

    /// <summary>Prints the seeds tried, objects and steps about every 10 s.</summary>
    private sealed class SeedReport(CommandContext context) : IProgress<FloodFillProgress>
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private TimeSpan? last;

        public void Report(FloodFillProgress value)
        {
            if (last is { } previous && clock.Elapsed - previous < TimeSpan.FromSeconds(10) && value.SeedsTried != value.SeedCount)
            {
                return;
            }

            last = clock.Elapsed;
            context.Console.WriteLine($"seeds {value.SeedsTried}/{value.SeedCount}: {value.SegmentCount} objects, {value.Steps} steps");
        }
    }

    private sealed class SubvolumeReport(CommandContext context) : IProgress<FloodFillSubvolumeProgress>
    {
        private readonly SeedReport seeds = new(context);
        private int subvolume = -1;

        public void Report(FloodFillSubvolumeProgress value)
        {
            if (value.Subvolume != subvolume)
            {
                subvolume = value.Subvolume;
                context.Console.WriteLine($"subvolume {value.Subvolume + 1}/{value.SubvolumeCount}");
            }

            seeds.Report(value.Seeds);
        }
    }
}
