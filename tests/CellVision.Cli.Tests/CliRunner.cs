using Spectre.Console;

namespace CellVision.Cli.Tests;

/// <summary>Runs the cellvision command in-process with captured output and error text.</summary>
internal static class CliRunner
{
    internal static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        var exitCode = CliApplication.Run(args, console, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
