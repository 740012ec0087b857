using System.Text.Json;
using System.Text.Json.Nodes;
using CellVision.Core.Volumes;

namespace CellVision.Distributed;

/// <summary>
/// A job: an operation with its options, its inputs and outputs, and the tasks that together cover the outputs. It is
/// written as JSON next to its first output (<c>OUTPUT.plan.json</c>) so that any worker on any node can read it.
/// </summary>
public sealed class JobPlan
{
    /// <summary>The value of the <c>format</c> field of plan files this version writes and reads.</summary>
    public const string FormatName = "cellvision-job/1";

    /// <summary>A unique name of this job; written into each output so no other job writes there.</summary>
    public required string JobId { get; init; }

    /// <summary>The operation's name (see <see cref="JobOperations"/>).</summary>
    public required string Operation { get; init; }

    /// <summary>The operation's options, as the operation reads them.</summary>
    public JsonObject Options { get; init; } = [];

    /// <summary>Absolute paths of the inputs, read only.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>Absolute paths of the outputs; the first holds the job's markers and names the plan file.</summary>
    public required IReadOnlyList<string> Outputs { get; init; }

    /// <summary>The tasks, indexed from 0 in this order.</summary>
    public required IReadOnlyList<JobTask> Tasks { get; init; }

    /// <summary>Where the plan file lives: the first output's path followed by <c>.plan.json</c>.</summary>
    public string PlanPath => PlanPathFor(Outputs[0]);

    /// <summary>The plan file of a job writing <paramref name="output"/>.</summary>
    /// <param name="output">The job's first output.</param>
    public static string PlanPathFor(string output) => Path.GetFullPath(output).TrimEnd(Path.DirectorySeparatorChar) + ".plan.json";

    /// <summary>A new job identifier.</summary>
    public static string NewJobId() => Guid.NewGuid().ToString("N");

    /// <summary>Writes the plan to <see cref="PlanPath"/> atomically (temporary file, then rename).</summary>
    public void Save()
    {
        var json = new JsonObject
        {
            ["format"] = FormatName,
            ["jobId"] = JobId,
            ["operation"] = Operation,
            ["options"] = Options.DeepClone(),
            ["inputs"] = new JsonArray([.. Inputs.Select(i => (JsonNode)i)]),
            ["outputs"] = new JsonArray([.. Outputs.Select(o => (JsonNode)o)]),
            ["tasks"] = new JsonArray([.. Tasks.Select(ToJson)]),
        };
        AtomicFile.WriteText(PlanPath, json.ToJsonString());
    }

    /// <summary>Reads a plan file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="JobPlanException">The file is missing, is not JSON, or lacks a field.</exception>
    public static JobPlan Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new JobPlanException($"The plan '{path}' does not exist.");
        }

        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new JobPlanException($"The plan '{path}' is empty.");
            var format = (string?)json["format"];
            if (format != FormatName)
            {
                throw new JobPlanException($"The plan '{path}' has format '{format}'; expected '{FormatName}'.");
            }

            return new JobPlan
            {
                JobId = Required<string>(json, "jobId", path),
                Operation = Required<string>(json, "operation", path),
                Options = json["options"]?.AsObject().DeepClone().AsObject() ?? [],
                Inputs = Strings(json, "inputs", path),
                Outputs = Strings(json, "outputs", path) is { Count: > 0 } outputs ? outputs : throw new JobPlanException($"The plan '{path}' lists no output."),
                Tasks = (json["tasks"] as JsonArray ?? throw new JobPlanException($"The plan '{path}' has no 'tasks' array.")).Select((t, i) => FromJson(t, i, path)).ToList(),
            };
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            throw new JobPlanException($"The plan '{path}' is not a valid plan: {exception.Message}", exception);
        }
    }

    private static JsonNode ToJson(JobTask task) => task.Block is { } block
        ? new JsonObject { ["start"] = new JsonArray([.. block.Start.Select(s => (JsonNode)s)]), ["size"] = new JsonArray([.. block.Size.Select(s => (JsonNode)s)]) }
        : new JsonObject { ["timepoints"] = new JsonArray(task.FirstTimepoint, task.TimepointCount) };

    private static JobTask FromJson(JsonNode? node, int index, string path)
    {
        if (node is JsonObject task && task["start"] is JsonArray start && task["size"] is JsonArray size && start.Count == size.Count)
        {
            return JobTask.ForBlock(new Box([.. start.Select(s => (long)s!)], [.. size.Select(s => (long)s!)]));
        }

        if (node is JsonObject range && range["timepoints"] is JsonArray { Count: 2 } timepoints)
        {
            return JobTask.ForTimepoints((int)timepoints[0]!, (int)timepoints[1]!);
        }

        throw new JobPlanException($"Task {index} of the plan '{path}' is neither a block {{\"start\": [...], \"size\": [...]}} nor {{\"timepoints\": [first, count]}}.");
    }

    private static T Required<T>(JsonObject json, string field, string path) =>
        json[field] is { } node ? node.GetValue<T>() : throw new JobPlanException($"The plan '{path}' lacks the field '{field}'.");

    private static List<string> Strings(JsonObject json, string field, string path) =>
        json[field] is JsonArray array ? [.. array.Select(s => (string)s!)] : throw new JobPlanException($"The plan '{path}' lacks the array '{field}'.");
}
