using System.CommandLine;
using CellVision.Cli.Commands;
using Spectre.Console;

namespace CellVision.Cli;

/// <summary>The <c>cellvision</c> command tree and how it runs; tests call <see cref="Run"/> with their own console.</summary>
internal static class CliApplication
{
    internal static int Run(string[] args, IAnsiConsole console, TextWriter error)
    {
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var context = new CommandContext(console, error, cancellation.Token);
            var root = new RootCommand("CellVision: 3D cell detection, tracking and image preparation for microscopy volumes.");
            root.Subcommands.Add(DemoCommand.Create(context));
            root.Subcommands.Add(ConvertCommand.Create(context));
            root.Subcommands.Add(ClaheCommand.Create(context));
            root.Subcommands.Add(DetectCommand.Create(context));
            root.Subcommands.Add(LinkCommand.Create(context));
            root.Subcommands.Add(EvaluateCommand.Create(context));
            root.Subcommands.Add(SegmentationScoreCommand.Create(context));
            root.Subcommands.Add(GnnCommand.Create(context));
            root.Subcommands.Add(FfnCommand.Create(context));
            root.Subcommands.Add(SemanticCommand.Create(context));
            root.Subcommands.Add(ServeCommand.Create(context));
            root.Subcommands.Add(WorkerVerb.Create(context));
            root.Subcommands.Add(JobsCommand.Create(context));
            var output = new StringWriter();
            var exitCode = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
            console.Write(new Text(output.ToString()));
            return exitCode;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
