using Spectre.Console;

namespace CellVision.Cli;

/// <summary>Entry point of the <c>cellvision</c> command.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        Commands.TorchThreads.UseAllCores = true;
        return CliApplication.Run(args, AnsiConsole.Console, Console.Error);
    }
}
