using System.CommandLine;
using CellVision.Distributed;
using CellVision.Distributed.Slurm;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary><c>cellvision jobs status|cancel|resume PLAN</c>: inspect, stop or finish a job from its plan file.</summary>
internal static class JobsCommand
{
    internal static Command Create(CommandContext context)
    {
        var command = new Command("jobs", "Inspect, cancel or resume a job run with --engine local|slurm, from its plan file (OUTPUT.plan.json)");
        command.Subcommands.Add(Status(context));
        command.Subcommands.Add(Cancel(context));
        command.Subcommands.Add(Resume(context));
        return command;
    }

    private static Argument<string> PlanArgument() => new("PLAN") { Description = "The job's plan file" };

    private static Command Status(CommandContext context)
    {
        var plan = PlanArgument();
        var command = new Command("status", "Tasks done and missing, from the markers in the output") { plan };
        command.SetAction(result => context.Guard(() =>
        {
            var job = JobPlan.Load(result.GetValue(plan)!);
            var status = Jobs.Status(job);
            context.Console.WriteLine($"job {job.JobId} ({job.Operation}): {status.Done}/{status.Total} tasks done, {status.Attempts} attempts{(status.IsComplete ? ", complete" : "")}");
            if (status.Missing.Count > 0)
            {
                context.Console.WriteLine($"missing: {string.Join(", ", status.Missing.Take(50))}{(status.Missing.Count > 50 ? ", …" : "")}");
            }

            return 0;
        }));
        return command;
    }

    private static Command Cancel(CommandContext context)
    {
        var plan = PlanArgument();
        var slurmRest = EngineOptions.SlurmRestOption();
        var command = new Command("cancel", "Cancel the job's Slurm arrays (scancel, or slurmrestd with --slurm-rest); finished tasks stay finished (a local job stops with Ctrl+C)") { plan, slurmRest };
        command.SetAction(result => context.Guard(() =>
        {
            var options = new SlurmRunnerOptions { RestUrl = result.GetValue(slurmRest) };
            var ids = SlurmRunner.CancelAsync(JobPlan.Load(result.GetValue(plan)!), options, context.CancellationToken).GetAwaiter().GetResult();
            context.Console.WriteLine(ids.Count == 0 ? "no Slurm job was submitted for this plan" : $"cancelled Slurm job(s) {string.Join(", ", ids)}");
            return 0;
        }));
        return command;
    }

    private static Command Resume(CommandContext context)
    {
        var plan = PlanArgument();
        var engine = new EngineOptions();
        var command = new Command("resume", "Run the tasks of the job that have not finished, then its final step") { plan };
        engine.AddTo(command);
        command.SetAction(result => context.Guard(() => engine.Run(JobPlan.Load(result.GetValue(plan)!), result, context)));
        return command;
    }
}
