using CellVision.Detection;
using CellVision.Server.Http;
using CellVision.Server.Jobs;
using CellVision.Server.State;
using CellVision.Server.Workspace;
using CellVision.Torch;
using CellVision.Torch.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CellVision.Server.Endpoints;

/// <summary>
/// <c>/seg/reset</c> and <c>/flow/reset</c>: replace the detection or flow model. JSON with <c>url: null</c> ("Default")
/// writes ELEPHANT's random initialisation, for detection followed by ELEPHANT's self-supervised prior on the dataset's
/// frames when <c>n_crops</c> &gt; 0 and the dataset exists (<see cref="DetectionPriorJob"/>); multipart
/// ("From file") installs the uploaded <c>.pth</c> after checking that it loads as the network (for detection also a
/// list of state dicts, an ensemble). "Versatile" and "From URL" need downloads and are refused with 500 and a clear
/// error.
/// </summary>
internal static class ModelResetEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.Post("/seg/reset", context => Reset(context, flow: false), "Reset the detection model", "Default: random initialisation, then the self-supervised prior when the dataset exists; From file: installs an uploaded .pth. Versatile and From URL are refused.");
        endpoints.Post("/flow/reset", context => Reset(context, flow: true), "Reset the flow model", "Default: random initialisation; From file: installs an uploaded .pth. Versatile and From URL are refused.");
    }

    private static async Task<IResult> Reset(HttpContext context, bool flow)
    {
        ElephantJsonRequest request;
        IFormFile? file = null;
        if (ElephantJsonRequest.IsJson(context.Request.ContentType))
        {
            request = await ElephantJsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        }
        else if (context.Request.HasFormContentType)
        {
            var form = await UploadEndpoints.ReadFormAsync(context).ConfigureAwait(false);
            var data = form.TryGetValue("data", out var text) ? text.ToString() : throw new ElephantRequestException("data is not specified");
            request = ElephantJsonRequest.Parse(System.Text.Encoding.UTF8.GetBytes(data));
            file = form.Files.GetFile("file") ?? throw new ElephantRequestException("file is not specified");
        }
        else
        {
            throw new ElephantRequestException("Content-Type should be multipart/form-data or application/json");
        }

        var modelPath = context.Service<ElephantWorkspace>().ModelPath(request.String("model_name"));
        var url = request.OptionalString("url");
        if (file is null && url is not null)
        {
            throw new ElephantRequestException(
                url == "Versatile"
                    ? $"the pretrained Versatile {(flow ? "flow" : "detection")} weights are not bundled with this server; reset to Default or load a .pth From file"
                    : "downloading models is not supported offline; download the .pth and reset From file",
                500);
        }

        var states = context.Service<ProcessStateMachine>();
        if (!states.TryBeginExclusive(out var aborted))
        {
            throw new ElephantRequestException(flow ? "Process is running" : "Process is running. Model cannot be reset.", 500);
        }

        try
        {
            var models = context.Service<ModelFiles>();
            var datasetName = request.OptionalString("dataset_name");
            var crops = request.Int("n_crops", 5);
            var dataset = datasetName is null ? null : context.Service<ElephantWorkspace>().DatasetFolder(datasetName);
            if (file is null && !flow && crops > 0 && dataset is not null && File.Exists(Path.Combine(dataset, "imgs.zarr", ".zarray")))
            {
                var cropSize = request.Has("crop_size") ? request.Ints("crop_size", 3) : [256, 256, 16];
                var voxelSize = DatasetFrames.VoxelSize(request.Doubles("scales", 3));
                var options = new PriorTrainingOptions { CropSize = (cropSize[2], cropSize[1], cropSize[0]), Crops = crops, Seed = context.Service<ElephantServerOptions>().Seed };
                var prior = context.Service<DetectionPriorJob>();
                return await JobRunner.RunRecordedAsync(context, $"{context.Request.Method} {context.Request.Path} (prior)", () => prior.Run(dataset, modelPath, voxelSize, request.Int("n_keep_axials", 4), options, aborted), aborted).ConfigureAwait(false);
            }

            if (file is null)
            {
                await EndpointServices.OnWorkerThread(() =>
                {
                    using var model = flow ? (Torch.Module)models.CreateFlow() : models.Create();
                    ModelFiles.Save(model, modelPath);
                    return true;
                }).ConfigureAwait(false);
            }
            else
            {
                var upload = modelPath + ".upload";
                try
                {
                    await using (var output = File.Create(upload))
                    {
                        await file.CopyToAsync(output, context.RequestAborted).ConfigureAwait(false);
                    }

                    await EndpointServices.OnWorkerThread(() =>
                    {
                        if (flow)
                        {
                            models.InstallFlow(upload, modelPath);
                        }
                        else
                        {
                            ModelFiles.Install(upload, modelPath);
                        }

                        return true;
                    }).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is PthFormatException or StateDictMismatchException or ArgumentException or InvalidDataException)
                {
                    throw new ElephantRequestException($"{file.FileName} is not a {(flow ? "flow" : "detection")} model state dict: {exception.Message}", 500);
                }
                finally
                {
                    File.Delete(upload);
                }
            }

            return ElephantResponses.Completed(true);
        }
        finally
        {
            states.EndExclusive();
        }
    }
}
