using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CellVision.Core.Volumes;
using CellVision.Distributed;
using CellVision.Distributed.Operations;
using CellVision.IO.OmeZarr;
using CellVision.IO.Zarr;
using CellVision.Segmentation;
using CellVision.Torch;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary>
/// <c>cellvision semantic predict</c>: incasem's block-wise prediction into a Zarr group laid out as incasem writes it
/// (<c>prob_maps/class_{c}</c> float32 and <c>segmentation</c> uint32, in chunks of half an output block, with funlib
/// attributes), resumable block by block; with <c>--engine local|slurm</c> a job of worker processes, each writing whole
/// output chunks (<see cref="SemanticPredictionOperation"/>).
/// </summary>
internal static class SemanticPredictCommand
{
    private const string FinishedBlocksFile = "blocks_done.txt";

    internal static Command Create(CommandContext context)
    {
        var defaults = new SemanticPredictionOptions();
        var model = new Option<string>("--model") { Description = "Weights (.pth: a state dict or an incasem checkpoint with model_state_dict)", Required = true };
        var downsample = new Option<string>("--downsample") { Description = "The network's pooling factors, Z,Y,X per level separated by ';' (they have no weights)", DefaultValueFactory = _ => "2,2,2;2,2,2;2,2,2" };
        var raw = new Option<string>("--raw") { Description = "8- or 16-bit raw volume: a Zarr array is read block by block; other formats convert reads are read whole", Required = true };
        var mask = new Option<string?>("--mask") { Description = "Sample mask (nonzero inside): the segmentation is 0 elsewhere" };
        var output = new Option<string>("--out") { Description = "Zarr group to write (prob_maps/class_{c}, segmentation); an interrupted run resumes into it", Required = true };
        var omeZarr = new Option<string?>("--ome-zarr") { Description = "Also write NAME.ome.zarr: the raw image with the segmentation as labels/semantic, for neuroglancer and napari (read whole)" };
        var inputSize = Parsing.Extent("--input-size", "Network input block Z,Y,X (incasem: 204,204,204); the output block sets the stride", defaults.InputSize);
        var region = new Option<string?>("--region") { Description = "Region of interest Z0,Y0,X0,D,H,W in voxels [default: the whole volume]; outputs cover it shrunk by the context" };
        var augmentation = new Option<string>("--test-time-augmentation") { Description = "Average each block over mirrors and transposes: none (incasem's), in-plane (the 8 Y-X mirrors and transposes, for serial sections) or all (also mirrored along Z: 16)", DefaultValueFactory = _ => "none" };
        augmentation.AcceptOnlyFromAmong("none", "in-plane", "all");
        var inFlight = new Option<int>("--blocks-in-flight") { Description = "Blocks read ahead and written behind", DefaultValueFactory = _ => defaults.BlocksInFlight };
        var chunksPerTask = new Option<int>("--chunks-per-task") { Description = "With --engine: output chunks (half an output block each) per task along each axis; blocks on a task's border are predicted by each task they touch", DefaultValueFactory = _ => SemanticPredictionOperation.DefaultChunksPerTask };
        var engine = new EngineOptions();
        var command = new Command("predict", "Predict class probabilities and the segmentation block by block as incasem does (gunpowder Scan: stride one output block, the last block moved back)")
        {
            model, downsample, raw, mask, output, omeZarr, inputSize, region, augmentation, inFlight, chunksPerTask,
        };
        engine.AddTo(command);
        command.SetAction(result => context.Guard(() =>
        {
            TorchThreads.UseAvailableCores();
            var factors = SemanticTrainCommand.ParseFactors(result.GetValue(downsample)!);
            var options = new SemanticPredictionOptions
            {
                InputSize = result.GetValue(inputSize),
                BlocksInFlight = result.GetValue(inFlight),
                TestTimeAugmentation = result.GetValue(augmentation) switch
                {
                    "in-plane" => SemanticTestTimeAugmentation.InPlane,
                    "all" => SemanticTestTimeAugmentation.InPlane | SemanticTestTimeAugmentation.MirrorZ,
                    _ => SemanticTestTimeAugmentation.None,
                },
            };
            if (engine.Requested(result))
            {
                var job = new JobRequest(result.GetValue(raw)!, result.GetValue(mask), result.GetValue(model)!, result.GetValue(output)!, result.GetValue(omeZarr), result.GetValue(chunksPerTask));
                return RunJob(job, factors, options, result.GetValue(region) is { } area ? ParseRegion(area) : null, engine, result, context);
            }

            using var network = SemanticUNet.Load(result.GetValue(model)!, factors);
            var (source, inMemory) = OpenRaw(result.GetValue(raw)!, context.CancellationToken);
            using var owned = inMemory;
            Volume<byte>? maskVolume = result.GetValue(mask) is { } maskPath ? SemanticTrainCommand.ReadRaw(maskPath, context.CancellationToken) : null;
            using var ownedMask = maskVolume;
            var roi = result.GetValue(region) is { } text ? ParseRegion(text) : new Box([0, 0, 0], [.. source.Shape]);
            var outputSize = network.GetOutputSize(options.InputSize);
            var target = result.GetValue(output)!;
            var (maps, segmentation, finished) = OpenTargets(target, source, network.Classes, options.InputSize, outputSize, roi);
            if (finished.Count > 0)
            {
                context.Console.WriteLine($"resuming into {target}: {finished.Count} blocks already written");
            }

            using var log = new StreamWriter(Path.Combine(target, FinishedBlocksFile), append: true);
            var grid = SemanticPredictor.Predict(source, network, new SemanticPredictionTargets(maps, segmentation), options, roi,
                maskVolume is null ? null : new InMemoryChunkedVolume<byte>(maskVolume), finished, new BlockReport(context, log), context.CancellationToken);
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{grid.Count} blocks of {options.InputSize} -> {outputSize}; outputs cover {grid.Covered}; written to {target}"));
            if (result.GetValue(omeZarr) is { } omePath)
            {
                WriteOmeZarr(omePath, source, segmentation, context.CancellationToken);
                context.Console.WriteLine($"image and labels/semantic written to {omePath}");
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Plans the prediction as a job of worker processes, runs it, then writes the OME-Zarr copy if asked.</summary>
    private static int RunJob(JobRequest job, IReadOnlyList<Size3> factors, SemanticPredictionOptions options, Box? roi, EngineOptions engine, ParseResult result, CommandContext context)
    {
        if (!IsZarrArray(job.Raw) || (job.Mask is not null && !IsZarrArray(job.Mask)))
        {
            return context.Fail("--engine reads --raw (and --mask) block by block on every node: give Zarr arrays (cellvision convert writes them).");
        }

        if (Directory.Exists(job.Output) || File.Exists(job.Output))
        {
            return context.Fail($"'{job.Output}' already exists; resume its job with 'cellvision jobs resume {JobPlan.PlanPathFor(job.Output)}', or choose another --out.");
        }

        if (job.ChunksPerTask < 1)
        {
            return context.Fail("--chunks-per-task must be at least 1.");
        }

        var plan = SemanticPredictionOperation.CreatePlan(job.Raw, job.Model, job.Output, factors, options, roi, job.Mask, job.ChunksPerTask);
        engine.Run(plan, result, context);
        if (job.OmeZarr is { } omePath)
        {
            WriteOmeZarr(omePath, ZarrArray.Open(job.Raw), ZarrArray.Open(SemanticPredictionZarr.SegmentationPath(job.Output)), context.CancellationToken);
            context.Console.WriteLine($"image and labels/semantic written to {omePath}");
        }

        return 0;
    }

    private static bool IsZarrArray(string path) => File.Exists(Path.Combine(path, ".zarray"));

    /// <summary>The paths and task size of a prediction run as a job.</summary>
    private sealed record JobRequest(string Raw, string? Mask, string Model, string Output, string? OmeZarr, int ChunksPerTask);

    private static (IChunkedVolume Source, IDisposable? Owned) OpenRaw(string path, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path) && File.Exists(Path.Combine(path, ".zarray")))
        {
            return (ZarrArray.Open(path), null);
        }

        var volume = FfnCommand.ReadSingle(path, cancellationToken);
        if (SemanticTrainCommand.Narrow(volume) is { } bytes)
        {
            volume.Dispose();
            return (new InMemoryChunkedVolume<byte>(bytes), bytes);
        }

        return (new InMemoryChunkedVolume<ushort>(volume), volume);
    }

    /// <summary>Creates the output group, or reopens it to resume when it was made for the same prediction.</summary>
    private static (IChunkedVolume[] Maps, ZarrArray Segmentation, HashSet<int> Finished) OpenTargets(string target, IChunkedVolume source, int classes, (int Z, int Y, int X) input, (int Z, int Y, int X) output, Box roi)
    {
        var signature = new JsonObject
        {
            ["classes"] = classes,
            ["input_size"] = new JsonArray(input.Z, input.Y, input.X),
            ["region_start"] = new JsonArray([.. roi.Start.Select(v => JsonValue.Create(v))]),
            ["region_size"] = new JsonArray([.. roi.Size.Select(v => JsonValue.Create(v))]),
        };
        var shape = source.Shape.ToArray();
        if (ZarrGroup.IsGroup(target))
        {
            var group = ZarrGroup.Open(target);
            var previous = group.ReadAttributes()["cellvision_prediction"];
            if (previous is null || previous.ToJsonString() != signature.ToJsonString())
            {
                throw new ArgumentException($"'{target}' exists but was not written by this prediction ({previous?.ToJsonString() ?? "no record"} against {signature.ToJsonString()}); choose another --out or remove it.");
            }

            var reopened = Enumerable.Range(0, classes).Select(c => (IChunkedVolume)ZarrArray.Open(Path.Combine(target, "prob_maps", $"class_{c}"))).ToArray();
            var log = Path.Combine(target, FinishedBlocksFile);
            var finished = File.Exists(log)
                ? File.ReadAllLines(log).Where(l => int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out _)).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToHashSet()
                : [];
            return (reopened, ZarrArray.Open(Path.Combine(target, "segmentation")), finished);
        }

        if (Directory.Exists(target) || File.Exists(target))
        {
            throw new ArgumentException($"'{target}' exists and is not a Zarr group; choose another --out.");
        }

        var created = ZarrGroup.Create(target);
        created.WriteAttributes(new JsonObject { ["cellvision_prediction"] = signature });
        var targets = SemanticPredictionZarr.Create(target, shape, classes, SemanticPredictionZarr.DefaultChunks(output), source is ZarrArray rawArray ? FunlibAttributes.Read(rawArray) : null);
        var maps = targets.Probabilities!.ToArray();
        var segmentation = (ZarrArray)targets.Segmentation!;
        return (maps, segmentation, []);
    }

    private static void WriteOmeZarr(string path, IChunkedVolume source, ZarrArray segmentation, CancellationToken cancellationToken)
    {
        var shape = source.Shape;
        using var labels = new Volume<uint>((int)shape[0], (int)shape[1], (int)shape[2]);
        segmentation.Read(labels.Bounds, labels.Span, cancellationToken: cancellationToken);
        using var image = new Volume<ushort>((int)shape[0], (int)shape[1], (int)shape[2]);
        if (source.ElementSize == 1)
        {
            var bytes = new byte[image.Length];
            source.Read(image.Bounds, bytes.AsSpan(), cancellationToken: cancellationToken);
            for (var i = 0; i < bytes.Length; i++)
            {
                image.Span[i] = bytes[i];
            }
        }
        else
        {
            source.Read(image.Bounds, image.Span, cancellationToken: cancellationToken);
        }

        var written = OmeZarrImage.Write(path, image, cancellationToken: cancellationToken);
        written.WriteLabels("semantic", labels, cancellationToken: cancellationToken);
    }

    internal static Box ParseRegion(string text)
    {
        var parts = text.Split(',');
        if (parts.Length != 6 || !parts.All(p => long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new ArgumentException($"--region '{text}' is not six integers Z0,Y0,X0,D,H,W.");
        }

        var v = parts.Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return Box.FromZyx(v[0], v[1], v[2], v[3], v[4], v[5]);
    }

    /// <summary>Records each written block (so a rerun skips it) and prints progress about every 10 s.</summary>
    private sealed class BlockReport(CommandContext context, StreamWriter log) : IProgress<SemanticPredictionProgress>
    {
        private TimeSpan? last;

        public void Report(SemanticPredictionProgress value)
        {
            log.WriteLine(value.Block.ToString(CultureInfo.InvariantCulture));
            log.Flush();
            if (last is { } previous && value.Elapsed - previous < TimeSpan.FromSeconds(10) && value.Remaining > 0)
            {
                return;
            }

            last = value.Elapsed;
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"blocks {value.Written} written, {value.Remaining} to go, {value.Elapsed.TotalSeconds:F0} s"));
        }
    }
}
