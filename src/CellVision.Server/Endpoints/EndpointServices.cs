using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CellVision.Server.Endpoints;

/// <summary>Helpers shared by the endpoint groups.</summary>
internal static class EndpointServices
{
    /// <summary>A service of the request.</summary>
    /// <typeparam name="T">The service type.</typeparam>
    /// <param name="context">The request.</param>
    public static T Service<T>(this HttpContext context)
        where T : notnull => context.RequestServices.GetRequiredService<T>();

    /// <summary>Maps a POST handler as a route handler (so the group's endpoint filter applies).</summary>
    /// <param name="endpoints">The group.</param>
    /// <param name="pattern">The route.</param>
    /// <param name="handler">The handler.</param>
    /// <param name="summary">The OpenAPI summary: what the client does with it.</param>
    /// <param name="description">The OpenAPI description: what the server does.</param>
    public static RouteHandlerBuilder Post(this IEndpointRouteBuilder endpoints, string pattern, Func<HttpContext, Task<IResult>> handler, string summary, string description) =>
        endpoints.MapPost(pattern, handler).WithSummary(summary).WithDescription(description);

    /// <summary>Maps a GET handler as a route handler (so the group's endpoint filter applies).</summary>
    /// <param name="endpoints">The group.</param>
    /// <param name="pattern">The route.</param>
    /// <param name="handler">The handler.</param>
    /// <param name="summary">The OpenAPI summary: what the client does with it.</param>
    /// <param name="description">The OpenAPI description: what the server does.</param>
    public static RouteHandlerBuilder Get(this IEndpointRouteBuilder endpoints, string pattern, Func<HttpContext, Task<IResult>> handler, string summary, string description) =>
        endpoints.MapGet(pattern, handler).WithSummary(summary).WithDescription(description);

    /// <summary>Runs blocking work (training, conversion, prediction) on a dedicated thread.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="work">The work.</param>
    public static Task<T> OnWorkerThread<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
