using CellVision.Server.Messaging;
using CellVision.Torch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CellVision.Server;

/// <summary>
/// Builds the ELEPHANT-compatible server as a stand-alone web application: Kestrel on <see cref="ElephantServerOptions.Urls"/>
/// with no request-size limit and day-long request timeouts (trainings hold their request open), the services of
/// <see cref="ElephantServiceCollectionExtensions.AddElephantServer"/> and the endpoints of
/// <see cref="ElephantEndpointRouteBuilderExtensions.MapElephantEndpoints"/>.
/// </summary>
/// <example>
/// <code>
/// await using var app = ElephantServer.Build(new ElephantServerOptions { WorkspaceDirectory = "/data/elephant" });
/// await app.RunAsync();    // the ELEPHANT client's server URL: http://localhost:8080
/// </code>
/// </example>
public static class ElephantServer
{
    /// <summary>A builder with Kestrel, logging and the server's services configured; add services, then build and map.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="publisher">Where progress messages go; null for a RabbitMQ publisher to <see cref="ElephantServerOptions.RabbitMq"/> when one is set, else <see cref="NullServerMessagePublisher"/>.</param>
    /// <param name="args">Command-line arguments for the host's configuration.</param>
    /// <returns>The builder.</returns>
    public static WebApplicationBuilder CreateBuilder(ElephantServerOptions options, IServerMessagePublisher? publisher = null, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Urls, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.WorkspaceDirectory, nameof(options));
        if (options.TorchThreads is int threads)
        {
            TorchRuntime.ThreadCount = threads;
        }

        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromDays(1);
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromMinutes(5);
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.AddServerHeader = false;
        });
        // ASP.NET Core's own per-request records would log the client's 1 s status poll; ELEPHANT logs only START/DONE.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // On shutdown the running job is aborted at its next step; give it time to finish that step and answer.
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromMinutes(2));
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        if (publisher is not null)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(publisher));
        }
        else if (options.RabbitMq is not null)
        {
            builder.Services.AddElephantServerMessaging(options.RabbitMq);
        }

        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CellVision ELEPHANT server";
            document.Info.Description = "The HTTP API of ELEPHANT's server (elephant-server 0.7) that the unchanged ELEPHANT client in Mastodon uses, and the status page.";
            return Task.CompletedTask;
        }));
        builder.Services.AddElephantServer(o =>
        {
            o.WorkspaceDirectory = options.WorkspaceDirectory;
            o.Urls = options.Urls;
            o.TorchThreads = options.TorchThreads;
            o.Seed = options.Seed;
            o.RabbitMq = options.RabbitMq;
            o.PretrainedModels = options.PretrainedModels;
        });
        return builder;
    }

    /// <summary>
    /// Builds the application with the endpoints mapped at the root, the status page at <c>/</c> (with
    /// <c>/status.json</c>) and the OpenAPI document at <c>/openapi/v1.json</c>.
    /// </summary>
    /// <param name="options">The settings.</param>
    /// <param name="publisher">Where progress messages go (default <see cref="NullServerMessagePublisher"/>).</param>
    /// <returns>The application; start it with <c>RunAsync</c> or <c>StartAsync</c>.</returns>
    public static WebApplication Build(ElephantServerOptions options, IServerMessagePublisher? publisher = null)
    {
        var app = CreateBuilder(options, publisher).Build();
        app.MapElephantEndpoints();
        app.MapElephantStatusPage();
        app.MapOpenApi();
        return app;
    }
}
