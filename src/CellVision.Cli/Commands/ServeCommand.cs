using System.CommandLine;
using CellVision.Server;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary>
/// <c>cellvision serve --workspace DIR [--urls URL]</c>: the ELEPHANT-compatible HTTP server, for the unchanged ELEPHANT
/// client in Mastodon. Runs until Ctrl+C (or SIGTERM), which aborts the running job: a training stops at its next step
/// with the last saved model intact, open requests are answered, then the server exits.
/// </summary>
internal static class ServeCommand
{
    internal static Command Create(CommandContext context)
    {
        var workspace = new Option<string>("--workspace") { Description = "The workspace folder (datasets/, models/); an existing ELEPHANT workspace is served as it is", Required = true };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, separated by ';' (use http://0.0.0.0:8080 for other machines)", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var rabbitMq = new Option<string?>("--rabbitmq") { Description = "RabbitMQ broker for the client's progress messages, e.g. amqp://user:user@localhost:5672/ [default: none]" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads of libtorch [default: every core]" };
        var pretrained = new Option<string?>("--pretrained-models") { Description = "Where the Versatile model reset downloads versatile3d.pth and Fluo-N3DH-CE_flow.pth from [default: ELEPHANT's GitHub release]" };
        var command = new Command("serve", "Serve the ELEPHANT client's HTTP API (detection labels, training, prediction, export) until Ctrl+C")
        {
            workspace, urls, rabbitMq, threads, pretrained,
        };
        command.SetAction(result => context.Guard(() =>
        {
            var addresses = result.GetValue(urls)!;
            var bad = addresses.Split(';', StringSplitOptions.RemoveEmptyEntries)
                .FirstOrDefault(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"));
            if (bad is not null || addresses.Trim().Length == 0)
            {
                return context.Fail($"--urls: '{bad ?? addresses}' is not an http:// or https:// address.");
            }

            if (result.GetValue(threads) is < 1)
            {
                return context.Fail("--threads must be at least 1.");
            }

            Uri? broker = null;
            if (result.GetValue(rabbitMq) is { } brokerText)
            {
                if (!Uri.TryCreate(brokerText, UriKind.Absolute, out broker))
                {
                    return context.Fail($"--rabbitmq: '{brokerText}' is not an amqp:// URI.");
                }

                try
                {
                    Server.Messaging.RabbitMqSettings.Parse(broker);
                }
                catch (ArgumentException e)
                {
                    return context.Fail($"--rabbitmq: {e.Message}");
                }
            }

            var options = new ElephantServerOptions { WorkspaceDirectory = result.GetValue(workspace)!, Urls = addresses, TorchThreads = result.GetValue(threads), RabbitMq = broker };
            if (result.GetValue(pretrained) is { } pretrainedText)
            {
                if (!Uri.TryCreate(pretrainedText, UriKind.Absolute, out var pretrainedUri) || pretrainedUri.Scheme is not ("http" or "https"))
                {
                    return context.Fail($"--pretrained-models: '{pretrainedText}' is not an http:// or https:// address.");
                }

                options.PretrainedModels = pretrainedUri;
            }

            TorchThreads.UseAvailableCores();
            var app = ElephantServer.Build(options);
            try
            {
                context.Console.WriteLine($"Serving the ELEPHANT API from {Path.GetFullPath(options.WorkspaceDirectory)} on {addresses}; press Ctrl+C to stop.");
                Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.RunAsync(app, context.CancellationToken).GetAwaiter().GetResult();
            }
            finally
            {
                app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            context.Console.WriteLine("Server stopped.");
            return 0;
        }));
        return command;
    }
}
