using System.Text.Json.Nodes;
using CellVision.IO.Tiff;
using CellVision.IO.Zarr;

namespace CellVision.Distributed.Operations;

/// <summary>
/// Conversion of a folder of TIFF stacks (one per timepoint) into one Zarr array (T, Z, Y, X) as a job: each task
/// converts a range of timepoints; the array's chunks hold one timepoint each, so tasks never share a chunk. The output
/// equals <see cref="TiffSequence.ToZarr"/>'s byte for byte.
/// </summary>
public sealed class TiffSequenceToZarrOperation : IJobOperation
{
    /// <summary>The name plans use.</summary>
    public const string OperationName = "tiff-sequence-to-zarr";

    /// <inheritdoc/>
    public string Name => OperationName;

    /// <summary>Plans the conversion of the TIFF files in <paramref name="folder"/> into <paramref name="output"/>.</summary>
    /// <param name="folder">A folder of TIFF files, one stack per timepoint, in natural order.</param>
    /// <param name="output">The Zarr array to create.</param>
    /// <param name="timepointsPerTask">Timepoints per task (at least 1).</param>
    /// <param name="pattern">The file pattern (default <c>*.tif*</c>).</param>
    /// <exception cref="JobPlanException">The folder is missing or holds no TIFF file.</exception>
    public static JobPlan CreatePlan(string folder, string output, int timepointsPerTask = 1, string pattern = "*.tif*")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timepointsPerTask, 1);
        var files = Files(Path.GetFullPath(folder), pattern);
        var tasks = new List<JobTask>();
        for (var t = 0; t < files.Count; t += timepointsPerTask)
        {
            tasks.Add(JobTask.ForTimepoints(t, Math.Min(timepointsPerTask, files.Count - t)));
        }

        return new JobPlan
        {
            JobId = JobPlan.NewJobId(),
            Operation = OperationName,
            Options = new JsonObject { ["pattern"] = pattern, ["timepoints"] = files.Count },
            Inputs = [Path.GetFullPath(folder)],
            Outputs = [Path.GetFullPath(output)],
            Tasks = tasks,
        };
    }

    /// <inheritdoc/>
    public void Validate(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Inputs.Count != 1 || plan.Outputs.Count != 1)
        {
            throw new JobPlanException($"{OperationName} takes one input folder and one output; the plan has {plan.Inputs.Count} and {plan.Outputs.Count}.");
        }

        var files = Files(plan.Inputs[0], Pattern(plan));
        if ((int?)plan.Options["timepoints"] is { } expected && expected != files.Count)
        {
            throw new JobPlanException($"The plan was made for {expected} TIFF files in '{plan.Inputs[0]}', which now holds {files.Count}; make a new plan.");
        }

        foreach (var task in plan.Tasks)
        {
            if (task.IsBlock || task.FirstTimepoint + task.TimepointCount > files.Count)
            {
                throw new JobPlanException($"Task {task} does not lie in the {files.Count} timepoints of '{plan.Inputs[0]}'.");
            }
        }

        if (plan.Tasks.Sum(t => t.TimepointCount) != files.Count)
        {
            throw new JobPlanException($"The tasks cover {plan.Tasks.Sum(t => t.TimepointCount)} of {files.Count} timepoints; they must cover each once.");
        }
    }

    /// <inheritdoc/>
    public void Prepare(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!File.Exists(Path.Combine(plan.Outputs[0], ".zarray")))
        {
            TiffSequence.CreateZarr(Files(plan.Inputs[0], Pattern(plan)), plan.Outputs[0]);
        }
    }

    /// <inheritdoc/>
    public void RunTask(JobPlan plan, JobTask task, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(task);
        var files = Files(plan.Inputs[0], Pattern(plan));
        TiffSequence.WriteFrames(files, ZarrArray.Open(plan.Outputs[0]), task.FirstTimepoint, task.TimepointCount, progress, cancellationToken);
    }

    /// <inheritdoc/>
    public void Complete(JobPlan plan, CancellationToken cancellationToken)
    {
    }

    private static string Pattern(JobPlan plan) => (string?)plan.Options["pattern"] ?? "*.tif*";

    private static IReadOnlyList<string> Files(string folder, string pattern)
    {
        if (!Directory.Exists(folder))
        {
            throw new JobPlanException($"The input folder '{folder}' does not exist.");
        }

        var files = TiffSequence.Find(folder, pattern);
        return files.Count > 0 ? files : throw new JobPlanException($"The input folder '{folder}' holds no files matching '{pattern}'.");
    }
}
