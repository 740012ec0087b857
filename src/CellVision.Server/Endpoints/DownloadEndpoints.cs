using CellVision.Server.Http;
using CellVision.Server.Workspace;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CellVision.Server.Endpoints;

/// <summary><c>/download/model</c>: the model file's bytes (204 when it does not exist).</summary>
internal static class DownloadEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.Post("/download/model", Model, "Download a model", "The .pth bytes of the model; 204 when it does not exist.");
        CtcExportEndpoint.Map(endpoints);
    }

    private static async Task<IResult> Model(HttpContext context)
    {
        var request = await ElephantJsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var path = context.Service<ElephantWorkspace>().ModelPath(request.String("model_name"));
        if (!File.Exists(path))
        {
            return Results.NoContent();
        }

        // Read at once: a training may replace the file (by a rename) while it is sent.
        var bytes = await File.ReadAllBytesAsync(path, context.RequestAborted).ConfigureAwait(false);
        return Results.Bytes(bytes, "application/octet-stream");
    }
}
