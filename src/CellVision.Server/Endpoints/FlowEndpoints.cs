using CellVision.Server.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CellVision.Server.Endpoints;

/// <summary>
/// <c>/flow/update</c>, <c>/flow/train</c>, <c>/flow/predict</c>, <c>/flow/reset</c>: the optical-flow model is not
/// served; every request gets 500 with an error the client shows (nearest-neighbour linking works without it).
/// </summary>
internal static class FlowEndpoints
{
    public const string Unsupported = "flow models are not supported by this server";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        foreach (var name in new[] { "update", "train", "predict", "reset" })
        {
            endpoints.Post($"/flow/{name}", _ => Task.FromResult(ElephantResponses.Error(StatusCodes.Status500InternalServerError, Unsupported)));
        }
    }
}
