using CellVision.Server;
using CellVision.Server.Http;
using CellVision.Server.Jobs;
using CellVision.Server.Messaging;
using CellVision.Server.State;
using CellVision.Server.Status;
using CellVision.Server.Workspace;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ELEPHANT-compatible server's services.</summary>
public static class ElephantServiceCollectionExtensions
{
    /// <summary>
    /// Adds the server's state machine, workspace, jobs and (unless one is registered already) the
    /// <see cref="NullServerMessagePublisher"/>; map the endpoints with
    /// <see cref="Microsoft.AspNetCore.Builder.ElephantEndpointRouteBuilderExtensions.MapElephantEndpoints"/>, and the
    /// status page's job progress and log buffer (a logger provider keeping the last records; map the page with
    /// <see cref="Microsoft.AspNetCore.Builder.ElephantEndpointRouteBuilderExtensions.MapElephantStatusPage"/>). On application shutdown every running
    /// job is aborted (trainings stop at their next step, leaving the last saved model).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (workspace folder, seed).</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddElephantServer(this IServiceCollection services, Action<ElephantServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<ElephantServerOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.TryAddSingleton<IServerMessagePublisher>(NullServerMessagePublisher.Instance);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<ElephantServerOptions>>().Value);
        services.TryAddSingleton(sp => new ElephantWorkspace(sp.GetRequiredService<ElephantServerOptions>().WorkspaceDirectory));
        services.TryAddSingleton<ProcessStateMachine>();
        services.TryAddSingleton<TrainingParameters>();
        services.TryAddSingleton<LiveUpdates>();
        services.TryAddSingleton<ModelFiles>();
        services.TryAddSingleton<ModelDownloader>();
        services.TryAddSingleton<DetectionTrainingJob>();
        services.TryAddSingleton<DetectorCache>();
        services.TryAddSingleton<DetectionPredictionJob>();
        services.TryAddSingleton<FlowTrainingJob>();
        services.TryAddSingleton<DetectionPriorJob>();
        services.TryAddSingleton<FlowPredictionJob>();
        services.TryAddSingleton<ElephantEndpointFilter>();
        services.TryAddSingleton<JobActivity>();
        services.TryAddSingleton<ServerLogRing>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, StatusLoggerProvider>());
        services.AddHostedService<AbortOnShutdown>();
        return services;
    }
}
