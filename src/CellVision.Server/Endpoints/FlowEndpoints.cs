using CellVision.Server.Http;
using CellVision.Server.Jobs;
using CellVision.Server.State;
using CellVision.Server.Workspace;
using CellVision.Tracking;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CellVision.Server.Endpoints;

/// <summary><c>/flow/update</c>, <c>/flow/train</c> and <c>/flow/predict</c>: ELEPHANT's optical-flow model for linking.</summary>
internal static class FlowEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.Post("/flow/update", Update, "Update flow labels", "Writes flow_labels.zarr for each frame pair of the approved links; reset empties the array.");
        endpoints.Post("/flow/train", Train, "Train flow", "Writes the flow labels of the sent links and trains n_epochs epochs on the frame pairs, saving the model after each epoch; the request stays open until the end.");
        endpoints.Post("/flow/predict", Predict, "Predict flow", "The flow of frame t back to t - 1 from the model as last saved (on frames resampled to input_size): per query spot its id, estimated position at t - 1 and squared displacement.");
    }

    /// <summary>Flow label update (or reset); an interleaving job.</summary>
    private static Task<IResult> Update(HttpContext context) => JobRunner.UpdateLabelsAsync(context, FlowLabelWriter.Reset, async (request, folder, lease) =>
    {
        var voxelSize = DatasetFrames.VoxelSize(request.Doubles("scales", 3));
        var settings = FlowSettings.From(request, voxelSize);
        var spots = FlowSpotParser.LabelsByTimepoint(request);
        if (spots.Count == 0)
        {
            throw new ElephantRequestException("nothing to update");
        }

        var (completed, _) = await JobRunner.RunAbortableAsync(() =>
        {
            foreach (var (t, annotations) in spots)
            {
                lease.Aborted.ThrowIfCancellationRequested();
                FlowLabelWriter.Write(folder, t, voxelSize, annotations, settings.NormFactor, lease.Aborted).Dispose();
            }

            return true;
        }, lease.Aborted).ConfigureAwait(false);
        return ElephantResponses.Completed(completed);
    });

    /// <summary>Batch flow training; the request stays open until it ends.</summary>
    private static async Task<IResult> Train(HttpContext context)
    {
        var request = await ElephantJsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var workspace = context.Service<ElephantWorkspace>();
        var folder = workspace.DatasetFolder(request.String("dataset_name"));
        var modelPath = workspace.ModelPath(request.String("model_name"));
        var crops = request.Int("n_crops");
        var spots = FlowSpotParser.LabelsByTimepoint(request);
        JobRunner.RequireTrainable(crops, spots.Count, live: false);

        var voxelSize = DatasetFrames.VoxelSize(request.Doubles("scales", 3));
        var settings = FlowSettings.From(request, voxelSize);
        var cropSize = request.Ints("crop_size", 3);
        var options = new FlowTrainingOptions
        {
            CropSize = (cropSize[2], cropSize[1], cropSize[0]),
            CropsPerTimepoint = crops,
            Epochs = request.Int("n_epochs"),
            BatchSize = request.Int("batch_size", 1),
            LearningRate = request.Double("lr"),
            ScaleAugmentation = request.Double("aug_scale_factor_base", 0),
            RotationAngle = request.Int("aug_rotation_angle", 0),
        };
        var images = DatasetFrames.Open(folder, "imgs.zarr");
        if (spots.Keys.Last() + 1 >= images.Shape[0])
        {
            throw new ElephantRequestException($"spots[].t {spots.Keys.Last()} has no next timepoint in the dataset's {images.Shape[0]} timepoint(s)");
        }

        var (depth, height, width) = DatasetFrames.Shape(images);
        var factor = InputResize.Factor(request.OptionalInts("input_size", 3), depth, height, width, images.Rank == 4);
        var trainer = context.Service<FlowTrainingJob>();
        return await JobRunner.RunExclusiveAsync(context, aborted => trainer.Run(folder, modelPath, voxelSize, spots, settings, options, factor, aborted)).ConfigureAwait(false);
    }

    /// <summary>Estimated positions at t − 1 of the query spots of frame t; an interleaving job.</summary>
    private static async Task<IResult> Predict(HttpContext context)
    {
        var request = await ElephantJsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var workspace = context.Service<ElephantWorkspace>();
        var folder = workspace.DatasetFolder(request.String("dataset_name"));
        var modelPath = workspace.ModelPath(request.String("model_name"));
        var voxelSize = DatasetFrames.VoxelSize(request.Doubles("scales", 3));
        var settings = FlowSettings.From(request, voxelSize);
        var timepoint = request.Int("timepoint");
        if (timepoint < 1)
        {
            throw new ElephantRequestException($"timepoint should be at least 1 (the flow goes back to timepoint − 1), not {timepoint}");
        }

        var queries = FlowSpotParser.Queries(request, timepoint);
        var patch = request.OptionalInts("patch", 3);
        var cropBox = request.OptionalInts("crop_box", 6);
        var images = DatasetFrames.Open(folder, "imgs.zarr");
        var shape = DatasetFrames.Shape(images);
        var options = new FlowPredictionOptions
        {
            ResizeFactor = InputResize.Factor(request.OptionalInts("input_size", 3), shape.Depth, shape.Height, shape.Width, images.Rank == 4),
            BatchSize = request.Int("batch_size", 1),
            PatchSize = patch is null ? (shape.Depth, shape.Height, shape.Width) : (patch[2], patch[1], patch[0]),
            Region = cropBox is null ? null : DetectionPredictionJob.CropBox(cropBox, shape.Depth, shape.Height, shape.Width),
        };
        using var lease = await context.Service<ProcessStateMachine>().EnterInterleavedAsync(context.RequestAborted).ConfigureAwait(false);
        if (lease is null)
        {
            return ElephantResponses.Completed(false);
        }

        var job = context.Service<FlowPredictionJob>();
        var (_, estimates) = await JobRunner.RunAbortableAsync(() => job.Run(folder, modelPath, voxelSize, timepoint, [.. queries.Select(q => q.Spot)], settings, options, lease.Aborted), lease.Aborted).ConfigureAwait(false);
        return ElephantResponses.Json(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("completed", estimates is not null);
            w.WriteStartArray("spots");
            for (var i = 0; i < (estimates?.Count ?? 0); i++)
            {
                var estimate = estimates![i];
                w.WriteStartObject();
                w.WriteNumber("id", queries[i].Id);
                w.WriteFiniteNumbers("pos", [estimate.X, estimate.Y, estimate.Z]);
                w.WritePropertyName("sqdisp");
                w.WriteFiniteNumberValue(estimate.SquaredDisplacement);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
