using CellVision.Server.Endpoints;
using CellVision.Server.Http;
using CellVision.Server.Status;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the ELEPHANT server's HTTP endpoints.</summary>
public static class ElephantEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every endpoint of ELEPHANT's server (<c>/state</c>, <c>/params</c>, <c>/dataset</c>, <c>/upload</c>,
    /// <c>/seg</c>, <c>/flow</c>, <c>/download</c>) below <paramref name="prefix"/>, with ELEPHANT's request parsing,
    /// replies and status codes. Needs <see cref="Microsoft.Extensions.DependencyInjection.ElephantServiceCollectionExtensions.AddElephantServer"/>.
    /// </summary>
    /// <param name="endpoints">The application or a group.</param>
    /// <param name="prefix">A path below which the client's server URL points (default none: <c>http://host:8080</c>).</param>
    /// <returns>The group holding the endpoints.</returns>
    public static RouteGroupBuilder MapElephantEndpoints(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var group = endpoints.MapGroup(prefix);
        group.AddEndpointFilter<ElephantEndpointFilter>();
        StateEndpoints.Map(group);
        ParamsEndpoints.Map(group);
        DatasetEndpoints.Map(group);
        UploadEndpoints.Map(group);
        SegmentationEndpoints.Map(group);
        FlowEndpoints.Map(group);
        ModelResetEndpoint.Map(group);
        DownloadEndpoints.Map(group);
        return group;
    }

    /// <summary>
    /// Maps the status page at <paramref name="prefix"/><c>/</c> (state, the running job's progress and loss curve,
    /// devices, the last log records; the ELEPHANT client never requests it) and the JSON it polls every second at
    /// <paramref name="prefix"/><c>/status.json</c>. Needs
    /// <see cref="Microsoft.Extensions.DependencyInjection.ElephantServiceCollectionExtensions.AddElephantServer"/>.
    /// </summary>
    /// <param name="endpoints">The application or a group.</param>
    /// <param name="prefix">The path below which the page is served (default none).</param>
    /// <returns>The group holding the two endpoints.</returns>
    public static RouteGroupBuilder MapElephantStatusPage(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var group = endpoints.MapGroup(prefix);
        StatusEndpoints.Map(group);
        return group;
    }
}
