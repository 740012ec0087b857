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
/// frames when <c>n_crops</c> &gt; 0 and the dataset exists (<see cref="DetectionPriorJob"/>); <c>url: "Versatile"</c>
/// downloads ELEPHANT's pretrained weights from <see cref="ElephantServerOptions.PretrainedModels"/>
/// (<see cref="PretrainedModels"/>), any other <c>url</c> ("From URL") downloads that file
/// (<see cref="ModelDownloader"/>); multipart ("From file") takes the uploaded <c>.pth</c>. A downloaded or uploaded
/// file is installed only after it loads as the network (for detection the 3-D or the 2-D U-Net, also as a list of
/// state dicts, an ensemble).
/// </summary>
internal static class ModelResetEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.Post("/seg/reset", context => Reset(context, flow: false), "Reset the detection model", "Default: random initialisation, then the self-supervised prior when the dataset exists; Versatile: downloads ELEPHANT's pretrained versatile3d.pth (2-D: versatile2d.pth); From URL: downloads the url; From file: installs an uploaded .pth.");
        endpoints.Post("/flow/reset", context => Reset(context, flow: true), "Reset the flow model", "Default: random initialisation; Versatile: downloads ELEPHANT's pretrained Fluo-N3DH-CE_flow.pth (2-D: random initialisation); From URL: downloads the url; From file: installs an uploaded .pth.");
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
        var download = file is null ? PretrainedModels.Resolve(request.OptionalString("url"), flow, request.Bool("is_3d", true), context.Service<ElephantServerOptions>().PretrainedModels) : null;
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
            if (file is null && download is null && !flow && crops > 0 && dataset is not null && File.Exists(Path.Combine(dataset, "imgs.zarr", ".zarray")))
            {
                var cropSize = request.Has("crop_size") ? request.Ints("crop_size", 3) : [256, 256, 16];
                var voxelSize = DatasetFrames.VoxelSize(request.Doubles("scales", 3));
                var options = new PriorTrainingOptions { CropSize = (cropSize[2], cropSize[1], cropSize[0]), Crops = crops, Seed = context.Service<ElephantServerOptions>().Seed };
                var prior = context.Service<DetectionPriorJob>();
                return await JobRunner.RunRecordedAsync(context, $"{context.Request.Method} {context.Request.Path} (prior)", () => prior.Run(dataset, modelPath, voxelSize, request.Int("n_keep_axials", 4), options, aborted), aborted).ConfigureAwait(false);
            }

            if (download is not null)
            {
                var downloader = context.Service<ModelDownloader>();
                var scratch = modelPath + ".download";
                try
                {
                    return await JobRunner.RunRecordedAsync(context, $"{context.Request.Method} {context.Request.Path} (download)", () =>
                    {
                        downloader.DownloadAsync(download, scratch, aborted).GetAwaiter().GetResult();
                        Install(models, scratch, modelPath, download.ToString(), flow);
                    }, aborted).ConfigureAwait(false);
                }
                finally
                {
                    File.Delete(scratch);
                }
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
                        Install(models, upload, modelPath, file.FileName, flow);
                        return true;
                    }).ConfigureAwait(false);
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

    /// <summary>
    /// Installs a downloaded or uploaded file as the model once it loads as the network; otherwise 500 naming
    /// <paramref name="source"/>, and nothing is written.
    /// </summary>
    private static void Install(ModelFiles models, string scratch, string modelPath, string source, bool flow)
    {
        try
        {
            if (flow)
            {
                models.InstallFlow(scratch, modelPath);
            }
            else
            {
                ModelFiles.Install(scratch, modelPath);
            }
        }
        catch (Exception exception) when (exception is PthFormatException or StateDictMismatchException or ArgumentException or InvalidDataException)
        {
            throw new ElephantRequestException($"{source} is not a {(flow ? "flow" : "detection")} model state dict: {exception.Message}", 500);
        }
    }
}
