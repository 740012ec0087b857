using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using CellVision.Core.Volumes;
using CellVision.IO.Movies;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;
using CellVision.IO.Zarr.V3;
using CellVision.Segmentation;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary><c>cellvision ffn partitions|coordinates</c>: flood-filling networks, from ground truth to training data.</summary>
internal static class FfnCommand
{
    internal static Command Create(CommandContext context)
    {
        var command = new Command("ffn", "Flood-filling networks (google/ffn) for instance segmentation of EM volumes: prepare training data, train, import the reference's weights");
        command.Subcommands.Add(Partitions(context));
        command.Subcommands.Add(Coordinates(context));
        command.Subcommands.Add(Train(context));
        command.Subcommands.Add(Import(context));
        command.Subcommands.Add(FfnSegmentCommand.Create(context));
        return command;
    }

    private static Command Train(CommandContext context)
    {
        var images = new Option<string>("--image") { Description = "Raw EM volumes, comma-separated, in the order of the coordinate file's volumes (8- or 16-bit; any format convert reads)", Required = true };
        var labels = new Option<string>("--labels") { Description = "Ground-truth label volumes, comma-separated, one per image", Required = true };
        var coordinates = new Option<string>("--coordinates") { Description = "Training centres written by 'ffn coordinates'", Required = true };
        var model = new Option<string>("--model") { Description = "Weights to write (.pth); a checkpoint MODEL.step beside it is kept, and an interrupted run resumes from both", Required = true };
        var steps = new Option<long>("--steps") { Description = "Optimiser steps in all, counting resumed ones", DefaultValueFactory = _ => new FloodFillTrainingOptions().MaxSteps };
        var batch = new Option<int>("--batch-size") { Description = "Independent examples per step", DefaultValueFactory = _ => new FloodFillTrainingOptions().BatchSize };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd (the reference's default), momentum (0.9) or adam (converges in far fewer steps)", DefaultValueFactory = _ => "sgd" };
        optimizer.AcceptOnlyFromAmong("sgd", "momentum", "adam");
        var policy = new Option<string>("--move-policy") { Description = "How the field of view walks over a training patch: fixed (the reference's default) or max-pred-moves (the inference movement queue, on patches one step larger)", DefaultValueFactory = _ => "fixed" };
        policy.AcceptOnlyFromAmong("fixed", "max-pred-moves");
        var learningRate = new Option<double>("--learning-rate") { Description = "The optimiser's learning rate", DefaultValueFactory = _ => new FloodFillTrainingOptions().LearningRate };
        var depth = new Option<int>("--depth") { Description = "Convolution modules of the network (the published FIB-25 model: 12)", DefaultValueFactory = _ => new FloodFillNetworkOptions().Depth };
        var features = new Option<int>("--features") { Description = "Feature maps per convolution", DefaultValueFactory = _ => new FloodFillNetworkOptions().Features };
        var fov = Parsing.Extent("--fov", "Field of view Z,Y,X in voxels (odd)", new FloodFillNetworkOptions().FieldOfView);
        var deltas = Parsing.Extent("--deltas", "Move step Z,Y,X in voxels", new FloodFillNetworkOptions().Deltas);
        var mean = new Option<double>("--image-mean") { Description = "Subtracted from raw intensities", DefaultValueFactory = _ => 128 };
        var deviation = new Option<double>("--image-stddev") { Description = "Raw intensities are divided by this after the mean is subtracted", DefaultValueFactory = _ => 33 };
        var seed = new Option<int>("--seed") { Description = "Seed of the initial weights, the move order and the augmentations", DefaultValueFactory = _ => 0 };
        var command = new Command("train", "Train a flood-filling network on labelled volumes from balanced training centres (google/ffn train.py)")
        {
            images, labels, coordinates, model, steps, batch, optimizer, learningRate, policy, depth, features, fov, deltas, mean, deviation, seed,
        };
        command.SetAction(result => context.Guard(() =>
        {
            TorchThreads.UseAvailableCores();
            var networkOptions = new FloodFillNetworkOptions { Depth = result.GetValue(depth), Features = result.GetValue(features), FieldOfView = result.GetValue(fov), Deltas = result.GetValue(deltas) };
            var trainingOptions = new FloodFillTrainingOptions
            {
                MaxSteps = result.GetValue(steps),
                BatchSize = result.GetValue(batch),
                Optimizer = result.GetValue(optimizer) switch { "momentum" => FloodFillOptimizer.Momentum, "adam" => FloodFillOptimizer.Adam, _ => FloodFillOptimizer.Sgd },
                MovePolicy = result.GetValue(policy) == "max-pred-moves" ? FloodFillMovePolicy.MaxPredictionMoves : FloodFillMovePolicy.Fixed,
                LearningRate = result.GetValue(learningRate),
                ImageMean = result.GetValue(mean),
                ImageStandardDeviation = result.GetValue(deviation),
                Seed = result.GetValue(seed),
            };
            networkOptions.Validate();
            trainingOptions.Validate();
            var imagePaths = Split(result.GetValue(images)!);
            var labelPaths = Split(result.GetValue(labels)!);
            if (imagePaths.Length != labelPaths.Length)
            {
                return context.Fail($"--image names {imagePaths.Length} volume(s) but --labels names {labelPaths.Length}; give one label volume per image.");
            }

            var cv = new CellVisionContext(result.GetValue(seed));
            var set = cv.Segmentation.LoadFloodFillCoordinates(result.GetValue(coordinates)!, context.CancellationToken);
            if (set.Volumes.Count != imagePaths.Length)
            {
                return context.Fail($"The coordinate file has {set.Volumes.Count} volume(s) ({string.Join(", ", set.Volumes.Select(v => v.Name))}) but {imagePaths.Length} image(s) were given.");
            }

            var volumes = new List<FloodFillTrainingVolume>();
            try
            {
                for (var v = 0; v < imagePaths.Length; v++)
                {
                    volumes.Add(ReadTrainingVolume(imagePaths[v], labelPaths[v], set.Volumes[v], context.CancellationToken));
                }

                var path = result.GetValue(model)!;
                var resumed = File.Exists(path) && File.Exists(path + ".step");
                using var network = resumed ? FloodFillNetwork.Load(path) : cv.Segmentation.CreateFloodFillNetwork(networkOptions);
                if (resumed && network.Options != networkOptions)
                {
                    context.Console.WriteLine($"resuming {path}: the network's shape is read from it ({network.Options.Depth} modules, {network.Options.Features} features, field of view {network.FieldOfView})");
                }

                var last = cv.Segmentation.TrainFloodFill(network, volumes, set.Coordinates, trainingOptions, path, new TrainingReport(context), context.CancellationToken);
                context.Console.WriteLine($"trained to step {last}; weights saved to {path}");
                return 0;
            }
            finally
            {
                foreach (var volume in volumes)
                {
                    volume.Image.Dispose();
                    volume.Labels.Dispose();
                }
            }
        }));
        return command;
    }

    private static Command Import(CommandContext context)
    {
        var npz = new Option<string>("--npz") { Description = "The reference's TensorFlow variables (seed_update/conv{i}_{a,b}/weights|biases) saved with numpy.savez", Required = true };
        var output = new Option<string>("--out") { Description = "Weights to write (.pth; must not exist)", Required = true };
        var fov = Parsing.Extent("--fov", "The checkpoint's field of view Z,Y,X (the published FIB-25 model: 33,33,33)", (33, 33, 33));
        var deltas = Parsing.Extent("--deltas", "The checkpoint's move step Z,Y,X (the published FIB-25 model: 8,8,8)", (8, 8, 8));
        var command = new Command("import", "Convert a google/ffn TensorFlow checkpoint, exported to .npz, into CellVision weights")
        {
            npz, output, fov, deltas,
        };
        command.SetAction(result => context.Guard(() =>
        {
            var target = result.GetValue(output)!;
            if (File.Exists(target) || Directory.Exists(target))
            {
                return context.Fail($"'{target}' already exists; choose a new name so that nothing is overwritten.");
            }

            using var network = FloodFillNetwork.FromTensorFlowNpz(result.GetValue(npz)!, result.GetValue(fov), result.GetValue(deltas));
            network.Save(target);
            var parameters = network.Parameters().Sum(p => p.Shape.Aggregate(1L, (a, b) => a * b));
            context.Console.WriteLine($"{network.Options.Depth} modules, {network.Options.Features} features, {parameters} parameters, field of view {network.FieldOfView}, deltas {network.Deltas}: written to {target}");
            return 0;
        }));
        return command;
    }

    /// <summary>Reads one training pair: raw intensities as floats and labels as 32-bit ids, of the shape the coordinate file recorded.</summary>
    private static FloodFillTrainingVolume ReadTrainingVolume(string imagePath, string labelPath, FloodFillCoordinateVolume expected, CancellationToken cancellationToken)
    {
        using var raw = ReadSingle(imagePath, cancellationToken);
        if ((raw.Depth, raw.Height, raw.Width) != (expected.Depth, expected.Height, expected.Width))
        {
            throw new ArgumentException($"'{imagePath}' is {raw.Depth}×{raw.Height}×{raw.Width} but the coordinates were drawn from '{expected.Name}', {expected.Depth}×{expected.Height}×{expected.Width} (Z×Y×X).");
        }

        var image = new Volume<float>(raw.Depth, raw.Height, raw.Width, raw.VoxelSize, raw.Origin);
        var source = raw.Span;
        var target = image.Span;
        for (var i = 0; i < source.Length; i++)
        {
            target[i] = source[i];
        }

        try
        {
            var labels = ReadLabels(labelPath, cancellationToken) switch
            {
                Volume<ushort> v => ToUInt32(v, labelPath),
                Volume<uint> v => v,
                Volume<int> v => ToUInt32(v, labelPath),
                Volume<ulong> v => ToUInt32(v, labelPath),
                Volume<long> v => ToUInt32(v, labelPath),
                _ => throw new UnreachableException("ReadLabels returns only the label types above."),
            };
            if ((labels.Depth, labels.Height, labels.Width) != (raw.Depth, raw.Height, raw.Width))
            {
                labels.Dispose();
                throw new ArgumentException($"'{labelPath}' is {labels.Depth}×{labels.Height}×{labels.Width} but its image '{imagePath}' is {raw.Depth}×{raw.Height}×{raw.Width} (Z×Y×X).");
            }

            return new FloodFillTrainingVolume(image, labels);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private static Volume<uint> ToUInt32<T>(Volume<T> labels, string path)
        where T : unmanaged, IBinaryInteger<T>
    {
        using (labels)
        {
            var result = new Volume<uint>(labels.Depth, labels.Height, labels.Width, labels.VoxelSize, labels.Origin);
            var source = labels.Span;
            var target = result.Span;
            for (var i = 0; i < source.Length; i++)
            {
                var wide = ulong.CreateSaturating(source[i]);
                if (T.IsNegative(source[i]) || wide > uint.MaxValue)
                {
                    result.Dispose();
                    throw new ArgumentException($"'{path}' holds the label {source[i]}; labels for training must lie in 0..{uint.MaxValue}.");
                }

                target[i] = (uint)wide;
            }

            return result;
        }
    }

    private static string[] Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Prints the loss, the examples' voxel precision, recall and F1 and the speed about every 10 s.</summary>
    private sealed class TrainingReport(CommandContext context) : IProgress<FloodFillTrainingProgress>
    {
        private TimeSpan? last;
        private double loss;
        private int steps;
        private long tp, fp, fn;

        public void Report(FloodFillTrainingProgress value)
        {
            (loss, steps, tp, fp, fn) = (loss + value.Loss, steps + 1, tp + value.TruePositives, fp + value.FalsePositives, fn + value.FalseNegatives);
            if (last is { } previous && value.Elapsed - previous < TimeSpan.FromSeconds(10) && value.Step != value.MaxSteps)
            {
                return;
            }

            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"step {value.Step}/{value.MaxSteps}: loss {loss / steps:F4}, precision {(double)tp / (tp + fp):F3}, recall {(double)tp / (tp + fn):F3}, F1 {2.0 * tp / ((2.0 * tp) + fp + fn):F3}, {value.Step / Math.Max(value.Elapsed.TotalSeconds, 1e-9):F2} steps/s"));
            (last, loss, steps, tp, fp, fn) = (value.Elapsed, 0, 0, 0, 0, 0);
        }
    }

    private static Command Partitions(CommandContext context)
    {
        var labels = new Option<string>("--labels") { Description = "Ground-truth label volume, Z,Y,X (TIFF, Zarr, OME-Zarr, BDV, …; integer labels, 0 = background)", Required = true };
        var output = new Option<string>("--out") { Description = "Partition volume to write: a uint8 Zarr array in 64³ chunks, or a TIFF when the name ends with .tif (must not exist)", Required = true };
        var thresholds = new Option<string>("--thresholds") { Description = "Box fractions separating the partitions, increasing, in (0, 1]", DefaultValueFactory = _ => string.Join(',', FloodFillPartitionOptions.ReferenceThresholds.Select(t => t.ToString(CultureInfo.InvariantCulture))) };
        var radius = Parsing.Extent("--lom-radius", "Half-size Z,Y,X in voxels of the box whose fraction of the voxel's own label is measured; also the excluded border (FOV radius + one move)", (24, 24, 24));
        var minimumSize = new Option<int>("--min-size") { Description = "Labels with fewer voxels become background", DefaultValueFactory = _ => 10000 };
        var mask = new Option<string?>("--mask") { Description = "Optional exclusion mask of the labels' shape (non-zero = masked); voxels whose box touches it become 255" };
        var command = new Command("partitions", "Partition the voxels of a label volume by how much of the box around them their own object fills (compute_partitions.py): 0 background, 1 … thresholds + 1 objects, 255 excluded")
        {
            labels, output, thresholds, radius, minimumSize, mask,
        };
        command.SetAction(result => context.Guard(() =>
        {
            var target = result.GetValue(output)!;
            if (File.Exists(target) || Directory.Exists(target))
            {
                return context.Fail($"'{target}' already exists; choose a new name so that nothing is overwritten.");
            }

            var options = new FloodFillPartitionOptions
            {
                Thresholds = ParseThresholds(result.GetValue(thresholds)!),
                LomRadius = result.GetValue(radius),
                MinimumSize = result.GetValue(minimumSize),
            };
            options.Validate();
            var source = result.GetValue(labels)!;
            using var exclusion = result.GetValue(mask) is { } maskPath ? ReadMask(maskPath, context.CancellationToken) : null;
            var read = ReadLabels(source, context.CancellationToken);
            var watch = Stopwatch.StartNew();
            using var map = read switch
            {
                Volume<ushort> v => Compute(v, options, exclusion, context),
                Volume<uint> v => Compute(v, options, exclusion, context),
                Volume<int> v => Compute(v, options, exclusion, context),
                Volume<ulong> v => Compute(v, options, exclusion, context),
                Volume<long> v => Compute(v, options, exclusion, context),
                _ => throw new UnreachableException("ReadLabels returns only the label types above."),
            };
            var seconds = watch.Elapsed.TotalSeconds;
            WritePartitions(target, map, options, context.CancellationToken);
            var counts = string.Join(", ", map.Counts.Select((c, v) => $"{v}: {c}"));
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"partitions of {source} ({map.Volume.Depth}×{map.Volume.Height}×{map.Volume.Width}) in {seconds:F2} s, written to {target}"));
            context.Console.WriteLine($"voxels per partition inside the border: {counts}; excluded by the mask: {map.ExcludedCount}");
            return 0;
        }));
        return command;
    }

    private static Command Coordinates(CommandContext context)
    {
        var partitions = new Option<string>("--partitions") { Description = "Partition volumes written by 'ffn partitions', comma-separated; a coordinate's volume index is the position here", Required = true };
        var output = new Option<string>("--out") { Description = "Coordinate file to write (16 bytes per centre; see FloodFillCoordinateFile; must not exist)", Required = true };
        var margin = Parsing.Extent("--margin", "Voxels Z,Y,X along each face never sampled (FOV radius + one move)", (24, 24, 24));
        var seed = new Option<int?>("--seed") { Description = "Seed of the permutations and the shuffle: the same seed gives the same file [default: a different order each run, as the reference]" };
        var command = new Command("coordinates", "Draw training centres from partition volumes, every partition equally often, shuffled (build_coordinates.py)")
        {
            partitions, output, margin, seed,
        };
        command.SetAction(result => context.Guard(() =>
        {
            var target = result.GetValue(output)!;
            if (File.Exists(target) || Directory.Exists(target))
            {
                return context.Fail($"'{target}' already exists; choose a new name so that nothing is overwritten.");
            }

            var paths = result.GetValue(partitions)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (paths.Length == 0)
            {
                return context.Fail("--partitions names no volume.");
            }

            var volumes = new List<Volume<byte>>();
            try
            {
                foreach (var path in paths)
                {
                    volumes.Add(ReadPartitions(path, context.CancellationToken));
                }

                var options = new FloodFillCoordinateOptions { Margin = result.GetValue(margin), Seed = result.GetValue(seed) };
                var cv = new CellVisionContext();
                var set = cv.Segmentation.FloodFillCoordinates(volumes, paths, options, context.CancellationToken);
                cv.Segmentation.SaveFloodFillCoordinates(target, set, context.CancellationToken);
                var counts = string.Join(", ", set.PartitionCounts.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"));
                context.Console.WriteLine($"{set.Coordinates.Count} centres ({set.PartitionCounts.Count} partitions × {set.Coordinates.Count / set.PartitionCounts.Count}) from {paths.Length} volume(s) written to {target}");
                context.Console.WriteLine($"voxels per partition inside the margins: {counts}");
                return 0;
            }
            finally
            {
                volumes.ForEach(v => v.Dispose());
            }
        }));
        return command;
    }

    private static FloodFillPartitionMap Compute<T>(Volume<T> labels, FloodFillPartitionOptions options, Volume<bool>? exclusion, CommandContext context)
        where T : unmanaged, IBinaryInteger<T>
    {
        using (labels)
        {
            return new CellVisionContext().Segmentation.FloodFillPartitions(labels, options, exclusion, cancellationToken: context.CancellationToken);
        }
    }

    private static double[] ParseThresholds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                throw new ArgumentException($"--thresholds takes comma-separated numbers, not '{text}'.");
            }
        }

        return values;
    }

    /// <summary>
    /// Reads one Z,Y,X label volume: 32- and 64-bit integer Zarr arrays and 32-bit TIFF stacks as they are, anything
    /// else through <see cref="MovieFiles"/> (8- and 16-bit, every format <c>convert</c> reads).
    /// </summary>
    private static object ReadLabels(string path, CancellationToken cancellationToken)
    {
        if (OpenWideZarr(path) is { } zarr)
        {
            var (array, type) = zarr;
            return (type.Kind, type.Size) switch
            {
                (ZarrElementKind.UInt, 4) => array.ReadVolume<uint>(array.Bounds, cancellationToken),
                (ZarrElementKind.Int, 4) => array.ReadVolume<int>(array.Bounds, cancellationToken),
                (ZarrElementKind.UInt, 8) => array.ReadVolume<ulong>(array.Bounds, cancellationToken),
                (ZarrElementKind.Int, 8) => array.ReadVolume<long>(array.Bounds, cancellationToken),
                _ => throw new NotSupportedException($"'{path}' holds {type} voxels; labels are integers."),
            };
        }

        if (File.Exists(path) && MovieFiles.Guess(path, forWriting: false) == MovieFormat.Tiff)
        {
            using var tiff = TiffFile.Open(path);
            var page = tiff.Pages[0];
            if (page.BitsPerSample == 32 && page.SampleFormat is TiffSampleFormat.UnsignedInteger or TiffSampleFormat.SignedInteger)
            {
                return page.SampleFormat == TiffSampleFormat.UnsignedInteger ? tiff.ReadStack<uint>(cancellationToken) : tiff.ReadStack<int>(cancellationToken);
            }
        }

        return ReadSingle(path, cancellationToken);
    }

    /// <summary>A three-dimensional Zarr array (v2 or v3) of 4- or 8-byte elements, or null for anything else.</summary>
    private static (ChunkedArray Array, ZarrDataType Type)? OpenWideZarr(string path)
    {
        if (File.Exists(Path.Combine(path, ".zarray")))
        {
            var v2 = ZarrArray.Open(path);
            return v2.Rank == 3 && v2.ElementSize >= 4 ? (v2, v2.Metadata.DataType) : null;
        }

        var v3Metadata = Path.Combine(path, "zarr.json");
        if (File.Exists(v3Metadata) && JsonNode.Parse(File.ReadAllText(v3Metadata))?["node_type"]?.GetValue<string>() == "array")
        {
            var v3 = ZarrV3Array.Open(path);
            return v3.Rank == 3 && v3.ElementSize >= 4 ? (v3, v3.DataType) : null;
        }

        return null;
    }

    /// <summary>Reads a one-timepoint 8- or 16-bit volume in any format <c>convert</c> reads.</summary>
    internal static Volume<ushort> ReadSingle(string path, CancellationToken cancellationToken)
    {
        var frames = MovieFiles.Read(path, MovieFiles.Guess(path, forWriting: false), cancellationToken);
        if (frames.Count != 1)
        {
            frames.ForEach(f => f.Dispose());
            throw new ArgumentException($"'{path}' holds {frames.Count} timepoints; give one Z,Y,X volume.");
        }

        return frames[0];
    }

    internal static Volume<bool> ReadMask(string path, CancellationToken cancellationToken)
    {
        using var source = ReadSingle(path, cancellationToken);
        var mask = new Volume<bool>(source.Depth, source.Height, source.Width, source.VoxelSize, source.Origin);
        var values = source.Span;
        var flags = mask.Span;
        for (var i = 0; i < values.Length; i++)
        {
            flags[i] = values[i] != 0;
        }

        return mask;
    }

    private static Volume<byte> ReadPartitions(string path, CancellationToken cancellationToken)
    {
        using var source = ReadSingle(path, cancellationToken);
        var partitions = new Volume<byte>(source.Depth, source.Height, source.Width, source.VoxelSize, source.Origin);
        var values = source.Span;
        var bytes = partitions.Span;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] > byte.MaxValue)
            {
                partitions.Dispose();
                throw new ArgumentException($"'{path}' holds the value {values[i]}; partition volumes hold 0 … 255.");
            }

            bytes[i] = (byte)values[i];
        }

        return partitions;
    }

    /// <summary>Writes the partitions as a TIFF (by name) or a uint8 Zarr array, under a temporary name renamed when complete.</summary>
    private static void WritePartitions(string target, FloodFillPartitionMap map, FloodFillPartitionOptions options, CancellationToken cancellationToken)
    {
        var volume = map.Volume;
        if (MovieFiles.Guess(target, forWriting: true) == MovieFormat.Tiff)
        {
            TiffWriter.Write(target, volume, new TiffWriteOptions { Compression = TiffCompression.Deflate });
            return;
        }

        var partial = $"{Path.TrimEndingDirectorySeparator(target)}.{Guid.NewGuid():N}.partial";
        try
        {
            long[] shape = [volume.Depth, volume.Height, volume.Width];
            var array = ZarrArray.Create<byte>(partial, shape, [.. shape.Select(s => Math.Min(s, 64))], new ZlibCompressor(1), fillValue: FloodFillPartitions.Excluded);
            array.Write(volume, cancellationToken: cancellationToken);
            array.WriteAttributes(new JsonObject
            {
                ["lom_radius_zyx"] = new JsonArray(options.LomRadius.Z, options.LomRadius.Y, options.LomRadius.X),
                ["thresholds"] = new JsonArray([.. options.Thresholds.Select(t => JsonValue.Create(t))]),
                ["min_size"] = options.MinimumSize,
                ["partition_counts"] = new JsonArray([.. map.Counts.Select(c => JsonValue.Create(c))]),
                ["excluded_count"] = map.ExcludedCount,
                ["voxel_size_xyz_um"] = new JsonArray(volume.VoxelSize.X, volume.VoxelSize.Y, volume.VoxelSize.Z),
            });
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
}
