using System.CommandLine;
using System.Globalization;
using CellVision.Cli.Demo;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary><c>cellvision demo</c>: the end-to-end run on a synthetic movie.</summary>
internal static class DemoCommand
{
    internal static Command Create(CommandContext context)
    {
        var output = new Option<string>("--out") { Description = "Folder for the data, results and report", DefaultValueFactory = _ => "cellvision-demo" };
        var small = new Option<bool>("--small") { Description = "A smaller movie that runs faster (used by continuous integration)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the movie and of the networks", DefaultValueFactory = _ => 1 };
        var epochs = new Option<int?>("--epochs") { Description = "Detector training epochs [default: 30, or 20 with --small]" };
        var annotated = new Option<int>("--annotated") { Description = "Nuclei annotated at timepoint 0 to train the detector", DefaultValueFactory = _ => 6 };
        var command = new Command("demo", "Generate a synthetic 3D+t nuclei movie, train the detector from a few annotated nuclei, detect, link, score against the truth and write a report")
        {
            output, small, seed, epochs, annotated,
        };
        command.SetAction(result => context.Guard(() =>
        {
            if (result.GetValue(epochs) is < 1)
            {
                return context.Fail("--epochs must be at least 1.");
            }

            if (result.GetValue(annotated) < 1)
            {
                return context.Fail("--annotated must be at least 1.");
            }

            var options = new DemoOptions
            {
                OutputFolder = result.GetValue(output)!,
                Small = result.GetValue(small),
                Seed = result.GetValue(seed),
                Epochs = result.GetValue(epochs),
                AnnotatedNuclei = result.GetValue(annotated),
            };
            return Run(context, options);
        }));
        return command;
    }

    private static int Run(CommandContext context, DemoOptions options)
    {
        var console = context.Console;
        DemoResult demo;
        if (console.Profile.Capabilities.Interactive)
        {
            demo = console.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(progress => new DemoPipeline(options, new ProgressObserver(progress)).Run(context.CancellationToken));
        }
        else
        {
            demo = new DemoPipeline(options, new LineObserver(console)).Run(context.CancellationToken);
        }

        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned()).AddColumn("meaning");
        foreach (var (measure, value, meaning) in demo.Scores)
        {
            table.AddRow(Markup.Escape(measure), value.ToString("F4", CultureInfo.InvariantCulture), Markup.Escape(meaning));
        }

        console.Write(table);
        console.MarkupLine(CultureInfo.InvariantCulture, $"Finished in {demo.Elapsed.TotalSeconds:F0} s. Report: [link]{Markup.Escape(demo.ReportPath)}[/]");
        return 0;
    }

    /// <summary>Plain lines, for logs and non-interactive terminals.</summary>
    private sealed class LineObserver(IAnsiConsole console) : IDemoObserver
    {
        public void StepStarted(string step, int units) => console.MarkupLine($"[bold]{Markup.Escape(step)}[/] ...");

        public void StepAdvanced(int done, string? detail = null)
        {
            if (detail is not null)
            {
                console.WriteLine($"  {detail}");
            }
        }

        public void StepFinished(string step, double seconds, string summary) =>
            console.MarkupLine(CultureInfo.InvariantCulture, $"  [green]done[/] in {seconds:F1} s: {Markup.Escape(summary)}");
    }

    /// <summary>Spectre progress bars, one per step.</summary>
    private sealed class ProgressObserver(ProgressContext progress) : IDemoObserver
    {
        private ProgressTask? current;

        public void StepStarted(string step, int units)
        {
            current = progress.AddTask(Markup.Escape(step), maxValue: Math.Max(1, units));
            current.IsIndeterminate = units == 0;
        }

        public void StepAdvanced(int done, string? detail = null)
        {
            if (current is not null)
            {
                current.Value = done;
                if (detail is not null)
                {
                    current.Description = Markup.Escape(detail);
                }
            }
        }

        public void StepFinished(string step, double seconds, string summary)
        {
            if (current is not null)
            {
                current.IsIndeterminate = false;
                current.Value = current.MaxValue;
                current.Description = Markup.Escape(FormattableString.Invariant($"{step}: {summary} ({seconds:F1} s)"));
                current.StopTask();
            }
        }
    }
}
