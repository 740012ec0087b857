using System.Diagnostics;
using System.Globalization;

namespace CellVision.Distributed;

/// <summary>
/// Faults a worker injects into itself, for testing retries: the environment variable <c>CELLVISION_WORKER_FAULTS</c>
/// holds entries <c>KIND:TASK:N</c> separated by <c>;</c>, where TASK is a task index or <c>*</c>:
/// <c>fail:TASK:N</c> fails the first N attempts with an exception, <c>crash:TASK:N</c> kills the worker process
/// part-way through the first N attempts (after the task reported progress), and <c>delay:TASK:MS</c> sleeps MS
/// milliseconds before the task runs. Unset, nothing happens.
/// </summary>
internal sealed class WorkerFaults
{
    internal const string Variable = "CELLVISION_WORKER_FAULTS";

    private readonly List<(string Kind, int? Task, int Value)> entries = [];

    private WorkerFaults(string? text)
    {
        foreach (var entry in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(':');
            if (parts.Length != 3 || parts[0] is not ("fail" or "crash" or "delay") || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                throw new ArgumentException($"{Variable} entry '{entry}' is not fail|crash|delay:TASK:N.");
            }

            entries.Add((parts[0], parts[1] == "*" ? null : int.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture), value));
        }
    }

    internal static WorkerFaults FromEnvironment() => new(Environment.GetEnvironmentVariable(Variable));

    /// <summary>Sleeps or throws before the task runs, as configured.</summary>
    internal void BeforeTask(int task, int attempt, CancellationToken cancellationToken)
    {
        foreach (var (kind, target, value) in entries.Where(e => e.Task is null || e.Task == task))
        {
            if (kind == "delay")
            {
                Task.Delay(value, cancellationToken).GetAwaiter().GetResult();
            }
            else if (kind == "fail" && attempt <= value)
            {
                throw new InvalidOperationException($"injected failure of task {task}, attempt {attempt} ({Variable}).");
            }
        }
    }

    /// <summary>Whether the worker kills itself once the task has written something.</summary>
    internal bool CrashesDuring(int task, int attempt) => entries.Any(e => e.Kind == "crash" && (e.Task is null || e.Task == task) && attempt <= e.Value);

    /// <summary>Ends this process at once, as a kill would (no cleanup, no marker).</summary>
    internal static void Crash()
    {
        using var self = Process.GetCurrentProcess();
        self.Kill();
    }
}
