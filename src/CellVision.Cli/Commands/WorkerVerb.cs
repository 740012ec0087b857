using System.CommandLine;
using CellVision.Distributed;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary><c>cellvision worker --plan PLAN --task N</c>: runs one task of a job; what local and Slurm runners start.</summary>
internal static class WorkerVerb
{
    internal static Command Create(CommandContext context)
    {
        var plan = new Option<string>("--plan") { Description = "The job's plan file (OUTPUT.plan.json)", Required = true };
        var task = new Option<int>("--task") { Description = "The task index, from 0", Required = true };
        var command = new Command("worker", "Run one task of a job (started by --engine local|slurm; a finished task is not run again)")
        {
            plan, task,
        };
        command.SetAction(result => context.Guard(() =>
        {
            var index = result.GetValue(task);
            var outcome = JobWorker.RunTask(result.GetValue(plan)!, index, cancellationToken: context.CancellationToken);
            context.Console.WriteLine(outcome == TaskOutcome.AlreadyDone ? $"task {index} had finished before" : $"task {index} done");
            return 0;
        }));
        return command;
    }
}
