using System.Text.Json.Nodes;
using CellVision.Core.Volumes;
using CellVision.IO.Zarr;
using CellVision.Segmentation;
using CellVision.Torch;

namespace CellVision.Distributed.Operations;

/// <summary>
/// incasem's block-wise semantic prediction (<see cref="SemanticPredictor"/>) as a job. The prediction blocks
/// (<see cref="SemanticBlockGrid"/>: stride one output block from the context, the last block moved back) do not line
/// up with the output chunks, so tasks are boxes of whole output chunks instead: a task predicts, in block order, every
/// block whose output touches its box, keeps the part inside its box in memory, and writes that part once, so it
/// writes whole chunks of its own only. Each voxel then holds the value of the last block covering it, as in one
/// process, and the output (<see cref="SemanticPredictionZarr"/>) equals <see cref="SemanticPredictor.Predict"/>'s
/// into the same arrays byte for byte. Blocks that straddle a task boundary are predicted by each task they touch:
/// along an axis a task of T voxels predicts about T / output + 1 blocks for T / output blocks' worth of voxels.
/// </summary>
public sealed class SemanticPredictionOperation : IJobOperation
{
    /// <summary>The name plans use.</summary>
    public const string OperationName = "semantic-prediction";

    /// <summary>Output chunks per task along each axis by default: 8 chunks of half an output block, four blocks' worth.</summary>
    public const int DefaultChunksPerTask = 8;

    /// <inheritdoc/>
    public string Name => OperationName;

    /// <summary>Plans the prediction of <paramref name="raw"/> into the Zarr group <paramref name="output"/> (not written yet).</summary>
    /// <param name="raw">A 3-D uint8 or uint16 Zarr v2 array.</param>
    /// <param name="model">The network's weights (<see cref="SemanticUNet.Load"/>).</param>
    /// <param name="output">The Zarr group to create (<see cref="SemanticPredictionZarr"/>).</param>
    /// <param name="downsampleFactors">The network's pooling factors, top first; null for 2×2×2 everywhere (incasem).</param>
    /// <param name="options">Block size, pipelining and test-time augmentation; null for incasem's.</param>
    /// <param name="region">The region of interest; null for the whole volume.</param>
    /// <param name="mask">A Zarr array of the raw volume's shape, nonzero inside the sample; null for none.</param>
    /// <param name="chunksPerTask">Output chunks per task along each axis (at least 1).</param>
    /// <exception cref="JobPlanException">The raw volume, the model or the mask is missing or does not fit, or the region is smaller than one block.</exception>
    public static JobPlan CreatePlan(string raw, string model, string output, IReadOnlyList<Size3>? downsampleFactors = null, SemanticPredictionOptions? options = null, Box? region = null, string? mask = null, int chunksPerTask = DefaultChunksPerTask)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunksPerTask, 1);
        options = (options ?? new SemanticPredictionOptions()).Validate();
        var inputs = new List<string> { Path.GetFullPath(raw), Path.GetFullPath(model) };
        var shape = OpenRaw(inputs[0]).Shape;
        if (mask is not null)
        {
            inputs.Add(Path.GetFullPath(mask));
            OpenMask(inputs[2], shape);
        }

        var (classes, outputSize) = Describe(inputs[1], downsampleFactors, options);
        var roi = region ?? Box.FromShape([.. shape]);
        var covered = Grid(roi, shape, options.InputSize, outputSize).Covered;
        var chunks = SemanticPredictionZarr.DefaultChunks(outputSize);
        return new JobPlan
        {
            JobId = JobPlan.NewJobId(),
            Operation = OperationName,
            Options = new JsonObject
            {
                ["classes"] = classes,
                ["downsampleFactors"] = downsampleFactors is null ? null : new JsonArray([.. downsampleFactors.Select(f => (JsonNode)new JsonArray(f.Depth, f.Height, f.Width))]),
                ["inputSize"] = new JsonArray(options.InputSize.Z, options.InputSize.Y, options.InputSize.X),
                ["outputSize"] = new JsonArray(outputSize.Z, outputSize.Y, outputSize.X),
                ["regionStart"] = new JsonArray([.. roi.Start.Select(v => (JsonNode)v)]),
                ["regionSize"] = new JsonArray([.. roi.Size.Select(v => (JsonNode)v)]),
                ["chunks"] = new JsonArray([.. chunks.Select(v => (JsonNode)v)]),
                ["blocksInFlight"] = options.BlocksInFlight,
                ["oneDnnConvolutions"] = options.OneDnnConvolutions,
                ["testTimeAugmentation"] = (int)options.TestTimeAugmentation,
            },
            Inputs = inputs,
            Outputs = [Path.GetFullPath(output)],
            Tasks = Tasks(covered, shape, chunks, chunksPerTask),
        };
    }

    /// <summary>The prediction options stored in <paramref name="plan"/>.</summary>
    /// <param name="plan">A plan of this operation.</param>
    public static SemanticPredictionOptions ReadOptions(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var o = plan.Options;
        var defaults = new SemanticPredictionOptions();
        return new SemanticPredictionOptions
        {
            InputSize = Triple(o, "inputSize"),
            BlocksInFlight = (int?)o["blocksInFlight"] ?? defaults.BlocksInFlight,
            OneDnnConvolutions = (bool?)o["oneDnnConvolutions"] ?? defaults.OneDnnConvolutions,
            TestTimeAugmentation = (SemanticTestTimeAugmentation)((int?)o["testTimeAugmentation"] ?? 0),
        };
    }

    /// <summary>The region of interest stored in <paramref name="plan"/>.</summary>
    /// <param name="plan">A plan of this operation.</param>
    public static Box ReadRegion(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new Box(Longs(plan.Options, "regionStart"), Longs(plan.Options, "regionSize"));
    }

    /// <inheritdoc/>
    public void Validate(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Inputs.Count is not (2 or 3) || plan.Outputs.Count != 1)
        {
            throw new JobPlanException($"{OperationName} takes a raw volume, a model and an optional mask as inputs and one output group; the plan has {plan.Inputs.Count} inputs and {plan.Outputs.Count} outputs.");
        }

        var options = ReadOptions(plan);
        var shape = OpenRaw(plan.Inputs[0]).Shape;
        if (plan.Inputs.Count == 3)
        {
            OpenMask(plan.Inputs[2], shape);
        }

        var (classes, outputSize) = Describe(plan.Inputs[1], Factors(plan), options);
        if (classes != (int?)plan.Options["classes"] || outputSize != Triple(plan.Options, "outputSize"))
        {
            throw new JobPlanException($"The model '{plan.Inputs[1]}' predicts {classes} classes over {outputSize} blocks; the plan was made for {plan.Options["classes"]} classes over {plan.Options["outputSize"]?.ToJsonString()}.");
        }

        var covered = Grid(ReadRegion(plan), shape, options.InputSize, outputSize).Covered;
        var chunks = Longs(plan.Options, "chunks");
        JobValidation.CheckChunkAligned(plan.Tasks, shape, chunks, plan.Outputs[0]);
        var predicted = plan.Tasks.Sum(t => t.Block!.Value.Intersect(covered).ElementCount);
        if (predicted != covered.ElementCount)
        {
            throw new JobPlanException($"The tasks cover {predicted} of the {covered.ElementCount} voxels the prediction writes ({covered}); they must cover each once.");
        }

        foreach (var path in Enumerable.Range(0, classes).Select(c => SemanticPredictionZarr.ProbabilityPath(plan.Outputs[0], c)).Append(SemanticPredictionZarr.SegmentationPath(plan.Outputs[0])))
        {
            if (File.Exists(Path.Combine(path, ".zarray")) && ZarrArray.Open(path) is var existing
                && (!existing.Shape.SequenceEqual(shape) || !existing.Metadata.Chunks.SequenceEqual(chunks) || existing.ElementSize != 4))
            {
                throw new JobPlanException($"The output '{path}' is a [{string.Join(", ", existing.Shape)}] array in chunks [{string.Join(", ", existing.Metadata.Chunks)}], not the [{string.Join(", ", shape)}] array in chunks [{string.Join(", ", chunks)}] this plan writes.");
            }
        }
    }

    /// <inheritdoc/>
    public void Prepare(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (SemanticPredictionZarr.Exists(plan.Outputs[0]))
        {
            return;
        }

        var raw = OpenRaw(plan.Inputs[0]);
        SemanticPredictionZarr.Create(plan.Outputs[0], raw.Shape, (int)plan.Options["classes"]!, Longs(plan.Options, "chunks"), FunlibAttributes.Read(raw));
    }

    /// <inheritdoc/>
    public void RunTask(JobPlan plan, JobTask task, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(task);
        var raw = OpenRaw(plan.Inputs[0]);
        var options = ReadOptions(plan);
        var region = ReadRegion(plan);
        using var network = SemanticUNet.Load(plan.Inputs[1], Factors(plan));
        var grid = Grid(region, raw.Shape, options.InputSize, network.GetOutputSize(options.InputSize));
        var window = (task.Block ?? throw new JobPlanException($"{OperationName} tasks are blocks.")).Intersect(grid.Covered);
        if (window.IsEmpty)
        {
            return;
        }

        // Every block whose output misses the window counts as finished: the predictor runs the others, in block order.
        var elsewhere = Enumerable.Range(0, grid.Count).Where(i => grid.OutputBlock(i).Intersect(window).IsEmpty).ToHashSet();
        var maps = Enumerable.Range(0, network.Classes).Select(_ => new WindowedVolume<float>(raw.Shape, window)).ToArray();
        var segmentation = new WindowedVolume<uint>(raw.Shape, window);
        var mask = plan.Inputs.Count == 3 ? ZarrArray.Open(plan.Inputs[2]) : null;
        var blockProgress = progress is null ? null : new BlockProgress(progress);
        SemanticPredictor.Predict(raw, network, new SemanticPredictionTargets(maps, segmentation), options, region, mask, elsewhere, blockProgress, cancellationToken);

        var output = SemanticPredictionZarr.Open(plan.Outputs[0], network.Classes);
        for (var c = 0; c < maps.Length; c++)
        {
            output.Probabilities![c].Write(window, (ReadOnlySpan<float>)maps[c].Values, cancellationToken: cancellationToken);
        }

        output.Segmentation!.Write(window, (ReadOnlySpan<uint>)segmentation.Values, cancellationToken: cancellationToken);
    }

    /// <inheritdoc/>
    public void Complete(JobPlan plan, CancellationToken cancellationToken)
    {
    }

    /// <summary>Boxes of <paramref name="chunksPerTask"/> chunks along each axis, on the chunk grid, that touch <paramref name="covered"/>.</summary>
    private static List<JobTask> Tasks(Box covered, IReadOnlyList<long> shape, long[] chunks, int chunksPerTask)
    {
        var step = chunks.Select(c => c * chunksPerTask).ToArray();
        var first = Enumerable.Range(0, 3).Select(a => covered.Start[a] / step[a] * step[a]).ToArray();
        var end = covered.End;
        var tasks = new List<JobTask>();
        for (var z = first[0]; z < end[0]; z += step[0])
        {
            for (var y = first[1]; y < end[1]; y += step[1])
            {
                for (var x = first[2]; x < end[2]; x += step[2])
                {
                    tasks.Add(JobTask.ForBlock(new Box([z, y, x], [Math.Min(step[0], shape[0] - z), Math.Min(step[1], shape[1] - y), Math.Min(step[2], shape[2] - x)])));
                }
            }
        }

        return tasks;
    }

    private static SemanticBlockGrid Grid(Box region, IReadOnlyList<long> shape, (int Z, int Y, int X) inputSize, (int Z, int Y, int X) outputSize)
    {
        if (region.Rank != 3 || !Box.FromShape([.. shape]).Contains(region))
        {
            throw new JobPlanException($"The region {region} lies outside the [{string.Join(", ", shape)}] raw volume.");
        }

        try
        {
            return SemanticBlockGrid.Create(region, inputSize, outputSize);
        }
        catch (ArgumentException exception)
        {
            throw new JobPlanException(exception.Message, exception);
        }
    }

    /// <summary>Loads the model to learn its classes and output block, turning every load failure into a plan error.</summary>
    private static (int Classes, (int Z, int Y, int X) OutputSize) Describe(string model, IReadOnlyList<Size3>? factors, SemanticPredictionOptions options)
    {
        try
        {
            using var network = SemanticUNet.Load(model, factors);
            _ = new TestTimeAugmentedNetwork(network, options.TestTimeAugmentation);
            return (network.Classes, network.GetOutputSize(options.InputSize));
        }
        catch (FileNotFoundException exception)
        {
            throw new JobPlanException($"The model '{model}' does not exist.", exception);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or ArgumentException)
        {
            throw new JobPlanException($"The model '{model}' does not fit this prediction: {exception.Message}", exception);
        }
    }

    private static ZarrArray OpenRaw(string path)
    {
        var raw = OpenArray(path, "raw volume");
        if (raw.Rank != 3 || raw.ElementSize is not (1 or 2))
        {
            throw new JobPlanException($"{OperationName} predicts 3-D uint8 or uint16 volumes; '{path}' is a {raw.Rank}-D array of {raw.ElementSize}-byte elements.");
        }

        return raw;
    }

    private static void OpenMask(string path, IReadOnlyList<long> shape)
    {
        var mask = OpenArray(path, "mask");
        if (!mask.Shape.SequenceEqual(shape) || mask.ElementSize is not (1 or 2 or 4))
        {
            throw new JobPlanException($"The mask '{path}' is a [{string.Join(", ", mask.Shape)}] array of {mask.ElementSize}-byte elements; it must be a [{string.Join(", ", shape)}] array of 1-, 2- or 4-byte integers.");
        }
    }

    private static ZarrArray OpenArray(string path, string what)
    {
        try
        {
            return ZarrArray.Open(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or ZarrFormatException)
        {
            throw new JobPlanException($"The {what} '{path}' is not a Zarr v2 array: {exception.Message}", exception);
        }
    }

    /// <summary>The pooling factors stored in the plan; null (2×2×2 at every level) when it names none.</summary>
    private static List<Size3>? Factors(JobPlan plan) =>
        plan.Options["downsampleFactors"] is JsonArray levels
            ? [.. levels.Select(l => (JsonArray)l!).Select(l => new Size3((long)l[0]!, (long)l[1]!, (long)l[2]!))]
            : null;

    private static (int Z, int Y, int X) Triple(JsonObject options, string name) =>
        options[name] is JsonArray { Count: 3 } v ? ((int)v[0]!, (int)v[1]!, (int)v[2]!) : throw new JobPlanException($"The {OperationName} plan lacks the option '{name}' (three integers Z, Y, X).");

    private static long[] Longs(JsonObject options, string name) =>
        options[name] is JsonArray { Count: 3 } v ? [.. v.Select(n => (long)n!)] : throw new JobPlanException($"The {OperationName} plan lacks the option '{name}' (three integers Z, Y, X).");

    private sealed class BlockProgress(IProgress<double> fraction) : IProgress<SemanticPredictionProgress>
    {
        public void Report(SemanticPredictionProgress value) => fraction.Report((double)value.Written / (value.Written + value.Remaining));
    }
}
