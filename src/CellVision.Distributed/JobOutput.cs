using System.Globalization;
using System.Text.Json.Nodes;

namespace CellVision.Distributed;

/// <summary>
/// The job's bookkeeping inside its first output, in the folder <c>.cellvision-job</c>: which job owns the output, one
/// marker per finished task (with the node, attempt and time that finished it), attempt counters and worker logs.
/// </summary>
public sealed class JobOutput
{
    /// <summary>The bookkeeping folder's name inside the output.</summary>
    public const string FolderName = ".cellvision-job";

    /// <summary>Opens the bookkeeping of the output <paramref name="output"/>.</summary>
    /// <param name="output">The job's first output (a folder, e.g. a Zarr array).</param>
    public JobOutput(string output)
    {
        ArgumentException.ThrowIfNullOrEmpty(output);
        Output = Path.GetFullPath(output);
        Folder = Path.Combine(Output, FolderName);
    }

    /// <summary>The output's full path.</summary>
    public string Output { get; }

    /// <summary>The bookkeeping folder.</summary>
    public string Folder { get; }

    /// <summary>Where worker logs go.</summary>
    public string LogFolder => Path.Combine(Folder, "logs");

    private string JobIdFile => Path.Combine(Folder, "job-id");

    private string CompleteFile => Path.Combine(Folder, "complete");

    /// <summary>The job that owns the output, or null when none claimed it.</summary>
    public string? OwnerJobId => File.Exists(JobIdFile) ? File.ReadAllText(JobIdFile).Trim() : null;

    /// <summary>Whether the job's final step ran.</summary>
    public bool IsComplete => File.Exists(CompleteFile);

    /// <summary>Claims the output for <paramref name="jobId"/>.</summary>
    /// <param name="jobId">The job.</param>
    public void Claim(string jobId) => AtomicFile.WriteText(JobIdFile, jobId);

    /// <summary>Records that the job's final step ran.</summary>
    public void MarkComplete() => AtomicFile.WriteText(CompleteFile, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));

    /// <summary>Whether task <paramref name="index"/> finished.</summary>
    /// <param name="index">The task.</param>
    public bool IsDone(int index) => File.Exists(DoneFile(index));

    /// <summary>The record of a finished task: node, attempt, seconds and finish time; null when it did not finish.</summary>
    /// <param name="index">The task.</param>
    public JsonObject? ReadDone(int index) => File.Exists(DoneFile(index)) ? JsonNode.Parse(File.ReadAllText(DoneFile(index)))?.AsObject() : null;

    /// <summary>Records that task <paramref name="index"/> finished; written last, after all of its output.</summary>
    /// <param name="index">The task.</param>
    /// <param name="record">What to record (node, attempt, seconds).</param>
    public void MarkDone(int index, JsonObject record)
    {
        ArgumentNullException.ThrowIfNull(record);
        AtomicFile.WriteText(DoneFile(index), record.ToJsonString());
    }

    /// <summary>How many times a worker started task <paramref name="index"/>.</summary>
    /// <param name="index">The task.</param>
    public int Attempts(int index) =>
        File.Exists(AttemptsFile(index)) && int.TryParse(File.ReadAllText(AttemptsFile(index)), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>Counts one more start of task <paramref name="index"/> and returns the new count.</summary>
    /// <param name="index">The task.</param>
    public int RecordAttempt(int index)
    {
        var attempt = Attempts(index) + 1;
        AtomicFile.WriteText(AttemptsFile(index), attempt.ToString(CultureInfo.InvariantCulture));
        return attempt;
    }

    /// <summary>The indices of the finished tasks among the first <paramref name="count"/>.</summary>
    /// <param name="count">Tasks in the plan.</param>
    public IReadOnlyList<int> DoneTasks(int count) => [.. Enumerable.Range(0, count).Where(IsDone)];

    private string DoneFile(int index) => Path.Combine(Folder, "tasks", string.Create(CultureInfo.InvariantCulture, $"{index}.done"));

    private string AttemptsFile(int index) => Path.Combine(Folder, "tasks", string.Create(CultureInfo.InvariantCulture, $"{index}.attempts"));
}
