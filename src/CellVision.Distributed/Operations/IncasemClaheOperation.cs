using System.Text.Json.Nodes;
using CellVision.Core.Volumes;
using CellVision.IO.Zarr;
using CellVision.IO.Zarr.Codecs;
using CellVision.Segmentation;

namespace CellVision.Distributed.Operations;

/// <summary>
/// incasem's block-wise CLAHE of a uint8 Zarr volume (<see cref="IncasemClahe"/>) as a job: each task equalises a box
/// of whole write blocks, reading its context from the shared input, into an output chunked by the write block. The
/// output equals <see cref="IncasemClahe.Equalize(IChunkedVolume, IChunkedVolume, IncasemClaheOptions?, IProgress{ValueTuple{int, int}}?, CancellationToken)"/>'s byte for byte.
/// </summary>
public sealed class IncasemClaheOperation : IJobOperation
{
    /// <summary>The name plans use.</summary>
    public const string OperationName = "incasem-clahe";

    /// <inheritdoc/>
    public string Name => OperationName;

    /// <summary>Plans the CLAHE of <paramref name="input"/> into <paramref name="output"/> (not written yet).</summary>
    /// <param name="input">A 3-D uint8 Zarr v2 array.</param>
    /// <param name="output">The Zarr array to create.</param>
    /// <param name="options">CLAHE parameters; null for incasem's.</param>
    /// <param name="blocksPerTask">Write blocks per task along each axis (1: one 128³ block per task with the defaults).</param>
    /// <exception cref="JobPlanException">The input is missing or not a 3-D uint8 array.</exception>
    public static JobPlan CreatePlan(string input, string output, IncasemClaheOptions? options = null, int blocksPerTask = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocksPerTask, 1);
        options ??= new IncasemClaheOptions();
        var shape = OpenInput(Path.GetFullPath(input)).Shape;
        var step = (long)options.BlockSize * blocksPerTask;
        var tasks = new List<JobTask>();
        for (long z = 0; z < shape[0]; z += step)
        {
            for (long y = 0; y < shape[1]; y += step)
            {
                for (long x = 0; x < shape[2]; x += step)
                {
                    tasks.Add(JobTask.ForBlock(new Box([z, y, x], [Math.Min(step, shape[0] - z), Math.Min(step, shape[1] - y), Math.Min(step, shape[2] - x)])));
                }
            }
        }

        return new JobPlan
        {
            JobId = JobPlan.NewJobId(),
            Operation = OperationName,
            Options = new JsonObject
            {
                ["kernelSize"] = options.KernelSize,
                ["clipLimit"] = options.ClipLimit,
                ["luminanceLevels"] = options.LuminanceLevels,
                ["blockSize"] = options.BlockSize,
                ["context"] = options.Context,
            },
            Inputs = [Path.GetFullPath(input)],
            Outputs = [Path.GetFullPath(output)],
            Tasks = tasks,
        };
    }

    /// <summary>The CLAHE parameters stored in <paramref name="plan"/>.</summary>
    /// <param name="plan">A plan of this operation.</param>
    public static IncasemClaheOptions ReadOptions(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var o = plan.Options;
        var defaults = new IncasemClaheOptions();
        return new IncasemClaheOptions
        {
            KernelSize = (int?)o["kernelSize"] ?? defaults.KernelSize,
            ClipLimit = (double?)o["clipLimit"] ?? defaults.ClipLimit,
            LuminanceLevels = (int?)o["luminanceLevels"] ?? defaults.LuminanceLevels,
            BlockSize = (int?)o["blockSize"] ?? defaults.BlockSize,
            Context = (int?)o["context"] ?? defaults.Context,
        };
    }

    /// <summary>The output's chunks: one write block each (clipped to the volume).</summary>
    /// <param name="shape">The volume's shape.</param>
    /// <param name="options">The CLAHE parameters.</param>
    public static long[] OutputChunks(IReadOnlyList<long> shape, IncasemClaheOptions options)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        return [.. shape.Select(s => Math.Min(s, options.BlockSize))];
    }

    /// <inheritdoc/>
    public void Validate(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Inputs.Count != 1 || plan.Outputs.Count != 1)
        {
            throw new JobPlanException($"{OperationName} takes one input and one output; the plan has {plan.Inputs.Count} and {plan.Outputs.Count}.");
        }

        var options = ReadOptions(plan);
        var shape = OpenInput(plan.Inputs[0]).Shape;
        var chunks = OutputChunks(shape, options);
        JobValidation.CheckChunkAligned(plan.Tasks, shape, [.. shape.Select(_ => (long)options.BlockSize)], plan.Outputs[0]);
        JobValidation.CheckCoverage(plan.Tasks, shape);
        if (File.Exists(Path.Combine(plan.Outputs[0], ".zarray")))
        {
            var existing = ZarrArray.Open(plan.Outputs[0]);
            if (!existing.Shape.SequenceEqual(shape) || !existing.Metadata.Chunks.SequenceEqual(chunks) || existing.ElementSize != 1)
            {
                throw new JobPlanException($"The output '{plan.Outputs[0]}' is a [{string.Join(", ", existing.Shape)}] array, not the uint8 [{string.Join(", ", shape)}] array with chunks [{string.Join(", ", chunks)}] this plan writes.");
            }
        }
    }

    /// <inheritdoc/>
    public void Prepare(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (File.Exists(Path.Combine(plan.Outputs[0], ".zarray")))
        {
            return;
        }

        var shape = OpenInput(plan.Inputs[0]).Shape;
        ZarrArray.Create<byte>(plan.Outputs[0], [.. shape], OutputChunks(shape, ReadOptions(plan)), ZarrCompressor.Default);
    }

    /// <inheritdoc/>
    public void RunTask(JobPlan plan, JobTask task, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(task);
        var input = OpenInput(plan.Inputs[0]);
        var output = ZarrArray.Open(plan.Outputs[0]);
        var blockProgress = progress is null ? null : new BlockProgress(progress);
        IncasemClahe.EqualizeBlocks(input, output, task.Block ?? throw new JobPlanException("incasem-clahe tasks are blocks."), ReadOptions(plan), blockProgress, cancellationToken);
    }

    /// <inheritdoc/>
    public void Complete(JobPlan plan, CancellationToken cancellationToken)
    {
    }

    private static ZarrArray OpenInput(string path)
    {
        ZarrArray input;
        try
        {
            input = ZarrArray.Open(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or ZarrFormatException)
        {
            throw new JobPlanException($"The input '{path}' is not a Zarr v2 array: {exception.Message}", exception);
        }

        if (input.Rank != 3 || input.ElementSize != 1)
        {
            throw new JobPlanException($"{OperationName} equalises 3-D uint8 volumes; '{path}' is a {input.Rank}-D array of {input.ElementSize}-byte elements.");
        }

        return input;
    }

    private sealed class BlockProgress(IProgress<double> fraction) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => fraction.Report((double)value.Done / value.Total);
    }
}
