using CellVision.Server.Http;
using CellVision.Server.State;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CellVision.Server.Endpoints;

/// <summary>
/// <c>/params</c> and <c>/params/</c> (both answer; the original redirected the client's <c>/params</c> with a 308 it
/// never followed): the learning rate and crop count for the running training.
/// </summary>
internal static class ParamsEndpoints
{
    // ASP.NET Core's route template "/params" also matches "/params/"; no redirect is ever sent.
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.Post("/params", Set, "Set training parameters", "Learning rate and crop count for the training that runs now.");
        endpoints.Get("/params", Get, "Read training parameters", "The learning rate and crop count last posted to /params.");
    }

    private static async Task<IResult> Set(HttpContext context)
    {
        var request = await ElephantJsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var lr = request.Double("lr");
        var crops = request.Int("n_crops");
        if (lr < 0)
        {
            throw new ElephantRequestException($"Invalid lr: {lr}");
        }

        if (crops < 0)
        {
            throw new ElephantRequestException($"Invalid n_crops: {crops}");
        }

        var parameters = context.Service<TrainingParameters>();
        parameters.Set(lr, crops);
        return Reply(parameters);
    }

    private static Task<IResult> Get(HttpContext context) => Task.FromResult(Reply(context.Service<TrainingParameters>()));

    private static IResult Reply(TrainingParameters parameters) => ElephantResponses.Json(w =>
    {
        w.WriteStartObject();
        if (parameters.LearningRate is double lr)
        {
            w.WriteNumber("lr", lr);
        }
        else
        {
            w.WriteNull("lr");
        }

        if (parameters.CropCount is int crops)
        {
            w.WriteNumber("n_crops", crops);
        }
        else
        {
            w.WriteNull("n_crops");
        }

        w.WriteBoolean("success", true);
        w.WriteEndObject();
    });
}
