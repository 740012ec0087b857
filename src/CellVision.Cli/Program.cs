using CellVision.Cli.Demo;
using CellVision.Torch;

namespace CellVision.Cli;

/// <summary>Entry point of the <c>cellvision</c> command.</summary>
internal static class Program
{
    private const string Usage = """
        usage: cellvision demo [--steps N] [--save FILE.pth]
          demo    train a tiny 3D segmentation network on a synthetic nuclei volume and print its loss curve
        """;

    private static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 1 : 0;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        try
        {
            return args[0] switch
            {
                "demo" => RunDemo(args[1..], cancellation.Token),
                _ => Fail($"unknown command '{args[0]}'."),
            };
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled.");
            return 130;
        }
        catch (Exception exception) when (exception is TorchException or LibTorchNotFoundException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {exception.Message}");
            return 2;
        }
    }

    private static int RunDemo(string[] args, CancellationToken cancellation)
    {
        var steps = 80;
        string? save = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--steps" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0:
                    steps = n;
                    i++;
                    break;
                case "--save" when i + 1 < args.Length:
                    save = args[++i];
                    break;
                default:
                    return Fail($"unexpected argument '{args[i]}'.");
            }
        }

        return TrainingDemo.Run(steps, save, Console.Out, cancellation);
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
