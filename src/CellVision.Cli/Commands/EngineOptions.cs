using System.CommandLine;
using System.Globalization;
using CellVision.Distributed;
using CellVision.Distributed.Runners;
using CellVision.Distributed.Slurm;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary>
/// The options that run a command as a job of worker processes (<c>--engine local|slurm</c>, <c>--workers</c>, the
/// Slurm resources), and the code that runs a plan with them and reports its progress.
/// </summary>
internal sealed class EngineOptions
{
    private readonly Option<string?> engine = new("--engine") { Description = "Run as a job of worker processes: local (this machine) or slurm (a job array) [default: local when --workers is given]" };
    private readonly Option<int?> workers = new("--workers") { Description = "Worker processes at once with --engine local [default: the processor count]" };
    private readonly Option<int> maxAttempts = new("--max-attempts") { Description = "Attempts per task before the job fails", DefaultValueFactory = _ => 3 };
    private readonly Option<string?> partition = new("--partition") { Description = "Slurm partition (sbatch --partition)" };
    private readonly Option<string?> time = new("--time") { Description = "Slurm time limit per task (sbatch --time), e.g. 00:30:00" };
    private readonly Option<string?> memory = new("--mem") { Description = "Slurm memory per task (sbatch --mem), e.g. 8G" };
    private readonly Option<string?> gres = new("--gres") { Description = "Slurm generic resources per task (sbatch --gres), e.g. gpu:1" };
    private readonly Option<int> cpus = new("--cpus-per-task") { Description = "Slurm CPUs per task (sbatch --cpus-per-task)", DefaultValueFactory = _ => 1 };
    private readonly Option<Uri?> slurmRest = SlurmRestOption();

    internal EngineOptions() => engine.AcceptOnlyFromAmong("local", "slurm");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    internal void AddTo(Command command)
    {
        foreach (var option in new Option[] { engine, workers, maxAttempts, partition, time, memory, gres, cpus, slurmRest })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Whether the user asked for a job (an engine or a number of workers).</summary>
    internal bool Requested(ParseResult result) => result.GetValue(engine) is not null || result.GetValue(workers) is not null;

    /// <summary>The runner the options describe.</summary>
    internal IJobRunner Runner(ParseResult result)
    {
        if (result.GetValue(workers) is < 1)
        {
            throw new ArgumentException("--workers must be at least 1.");
        }

        return result.GetValue(engine) == "slurm"
            ? new SlurmRunner(new SlurmRunnerOptions
            {
                Partition = result.GetValue(partition),
                TimeLimit = result.GetValue(time),
                Memory = result.GetValue(memory),
                Gres = result.GetValue(gres),
                CpusPerTask = result.GetValue(cpus),
                MaxAttempts = result.GetValue(maxAttempts),
                Worker = WorkerCommand.CurrentProcess(),
                RestUrl = result.GetValue(slurmRest),
            })
            : new LocalRunner(new LocalRunnerOptions
            {
                Workers = result.GetValue(workers) ?? Environment.ProcessorCount,
                MaxAttempts = result.GetValue(maxAttempts),
                Worker = WorkerCommand.CurrentProcess(),
            });
    }

    /// <summary>The <c>--slurm-rest URL</c> option: reach Slurm through slurmrestd, with the JWT in <c>SLURM_JWT</c>.</summary>
    internal static Option<Uri?> SlurmRestOption() => new("--slurm-rest")
    {
        Description = "With --engine slurm, submit and follow the job through slurmrestd at this URL (e.g. http://slurm-rest:6820), authenticated with the token in SLURM_JWT (scontrol token), instead of sbatch/squeue/scancel",
        CustomParser = parsed =>
        {
            var text = parsed.Tokens.Single().Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
            {
                return url;
            }

            parsed.AddError($"--slurm-rest takes an http:// or https:// URL, not '{text}'.");
            return null;
        },
    };

    /// <summary>Runs (or resumes) <paramref name="plan"/> and prints where it stands as tasks finish.</summary>
    internal int Run(JobPlan plan, ParseResult result, CommandContext context)
    {
        var runner = Runner(result);
        context.Console.WriteLine($"job {plan.JobId} ({plan.Operation}, {plan.Tasks.Count} tasks) with {(runner is SlurmRunner ? "Slurm" : "local workers")}; plan {plan.PlanPath}");
        var last = -1;
        var progress = new SynchronousProgress<JobProgress>(p =>
        {
            if (p.Done != last)
            {
                last = p.Done;
                context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p.Done}/{p.Total} tasks done, {p.Running} running, {p.Retries} retried, {p.Failed} failed"));
            }
        });
        Jobs.RunAsync(plan, runner, progress, context.CancellationToken).GetAwaiter().GetResult();
        context.Console.WriteLine($"job {plan.JobId} complete: {plan.Outputs[0]}");
        return 0;
    }
}
