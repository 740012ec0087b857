using CellVision.IO.Elephant;
using CellVision.IO.Zarr;
using CellVision.Server.Http;
using CellVision.Server.Jobs;
using CellVision.Server.Messaging;
using CellVision.Server.Workspace;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Endpoints;

/// <summary><c>/dataset/check</c> and <c>/dataset/generate</c>: ELEPHANT's Zarr arrays of a dataset.</summary>
internal static class DatasetEndpoints
{
    /// <summary>The answer to 2-D+t data, shown by the client in its dataset dialog.</summary>
    public const string Unsupported2D = "2-D+t datasets are not supported by this server; use 3-D+t data (BDV images with several Z planes).";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.Post("/dataset/check", Check, "Check a dataset", "Compares imgs.zarr and the other arrays with the image shape; answers ready or the first problem.");
        endpoints.Post("/dataset/generate", Generate, "Initialise a dataset", "Converts the uploaded HDF5 file to the Zarr arrays (204 when none was uploaded); publishes the progress per timepoint.");
    }

    /// <summary><c>{"message": "ready"}</c>, or the first problem (shown by the client, which then offers to generate).</summary>
    private static async Task<IResult> Check(HttpContext context)
    {
        var request = await ElephantJsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var name = request.String("dataset_name");
        var shape = request.Ints("shape");
        var folder = context.Service<ElephantWorkspace>().DatasetFolder(name);
        string message;
        if (shape.Length is not (3 or 4) || shape.Any(s => s < 1))
        {
            throw new ElephantRequestException("shape should be [T, Z, Y, X] or [T, Y, X] with positive sizes");
        }

        if (shape.Length == 3)
        {
            message = Unsupported2D;
        }
        else if (!File.Exists(Path.Combine(folder, "imgs.zarr", ".zarray")))
        {
            message = $"{Path.Combine(folder, "imgs.zarr")} is not found or broken.";
        }
        else
        {
            try
            {
                message = ElephantDataset.Check(folder, [.. shape.Select(s => (long)s)]) ?? "ready";
            }
            catch (ZarrFormatException exception)
            {
                message = $"{Path.Combine(folder, "imgs.zarr")} is not found or broken: {exception.Message}";
            }
        }

        return ElephantResponses.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Converts the dataset's uploaded BDV HDF5 file (<c>&lt;dataset_name&gt;.h5</c>, else the first <c>*.h5</c> in
    /// ordinal order) into all seven arrays, publishing progress per timepoint: 200 with an empty body, 204 when no
    /// <c>.h5</c> was uploaded (the client then uploads and asks again).
    /// </summary>
    private static async Task<IResult> Generate(HttpContext context)
    {
        var request = await ElephantJsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var name = request.String("dataset_name");
        var is2D = request.Bool("is_2d", false);
        var isUInt16 = request.OptionalBool("is_uint16");
        var divisor = request.Double("divisor", 1.0);
        if (!(divisor > 0))
        {
            throw new ElephantRequestException("divisor should be a positive number");
        }

        if (is2D)
        {
            throw new ElephantRequestException(Unsupported2D, 500);
        }

        var folder = context.Service<ElephantWorkspace>().DatasetFolder(name);
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.h5").Order(StringComparer.Ordinal).ToList() : [];
        if (files.Count == 0)
        {
            return Results.NoContent();
        }

        var source = files.FirstOrDefault(f => Path.GetFileName(f) == name + ".h5") ?? files[0];
        var publisher = context.Service<IServerMessagePublisher>();
        var logger = context.Service<ILoggerFactory>().CreateLogger(typeof(DatasetEndpoints));
        var stopping = context.Service<IHostApplicationLifetime>().ApplicationStopping;
        var progress = new SynchronousProgress(p => publisher.Publish(ServerQueues.Dataset, ServerMessages.DatasetProgress(p.Total, p.Done), logger));
        await EndpointServices.OnWorkerThread(() => ElephantDataset.ConvertFromBdvHdf5(source, folder, isUInt16, divisor, is2D, progress: progress, cancellationToken: stopping)).ConfigureAwait(false);
        return Results.Ok();
    }

    private sealed class SynchronousProgress(Action<(int Done, int Total)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }
}
