using System.Globalization;
using System.Reflection;

namespace CellVision.Distributed.Runners;

/// <summary>How to start a worker: a program and the arguments before <c>worker --plan PLAN --task N</c>.</summary>
/// <param name="FileName">The program, e.g. the <c>cellvision</c> executable or <c>dotnet</c>.</param>
/// <param name="Arguments">Arguments before the worker verb, e.g. the path of <c>CellVision.Cli.dll</c> after <c>dotnet</c>.</param>
public sealed record WorkerCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The <c>cellvision</c> command found on PATH.</summary>
    public static WorkerCommand OnPath { get; } = new("cellvision", []);

    /// <summary>
    /// The program this process runs: its executable, or <c>dotnet</c> and the entry assembly when it runs through the
    /// <c>dotnet</c> host. Use it when this process is the <c>cellvision</c> command itself.
    /// </summary>
    public static WorkerCommand CurrentProcess()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("This process has no executable path.");
        var entry = Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && !string.IsNullOrEmpty(entry)
            ? new WorkerCommand(process, [entry])
            : new WorkerCommand(process, []);
    }

    /// <summary>The whole argument list for one task.</summary>
    /// <param name="planPath">The plan file.</param>
    /// <param name="task">The task index, or null to leave <c>--task</c> for the caller to append.</param>
    public IReadOnlyList<string> ArgumentsFor(string planPath, int? task) =>
        task is { } index
            ? [.. Arguments, "worker", "--plan", planPath, "--task", index.ToString(CultureInfo.InvariantCulture)]
            : [.. Arguments, "worker", "--plan", planPath, "--task"];
}
