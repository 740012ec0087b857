using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>server-load [xml] [timepoint] [threads] [rounds] [--clients N] [--seconds S]</c>: <see cref="ServerLoad"/>.</summary>
internal static class ServerLoadCommand
{
    internal static Command Create()
    {
        var xml = CommonSymbols.BdvXmlArgument();
        var timepoint = CommonSymbols.TimepointArgument("Timepoint to predict");
        var threads = CommonSymbols.TorchThreadsArgument();
        var rounds = CommonSymbols.RoundsArgument(5);
        var clients = new Option<int>("--clients") { Description = "Clients polling /state/gpus every 100 ms during the training", DefaultValueFactory = _ => 20 }.AtLeast(1);
        var seconds = new Option<double>("--seconds") { Description = "How long the clients poll", DefaultValueFactory = _ => 60 };
        var command = new Command("server-load", "The ELEPHANT server on loopback over the sample: /state/gpus pollers during a training (failed requests, p50/p99 latency), then /seg/predict over HTTP against NucleusDetector.DetectFrame (overhead %)")
        {
            xml, timepoint, threads, rounds, clients, seconds,
        };
        command.SetAction((result, _) => ServerLoad.RunAsync(result.GetValue(xml)!, result.GetValue(timepoint), result.GetValue(threads), result.GetValue(rounds), result.GetValue(clients), result.GetValue(seconds)));
        return command;
    }
}
