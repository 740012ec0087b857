using CellVision.Detection;
using CellVision.Server.Http;
using CellVision.Server.Jobs;
using CellVision.Server.State;
using CellVision.Server.Workspace;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CellVision.Server.Endpoints;

/// <summary><c>/seg/update</c>, <c>/seg/train</c> and <c>/seg/predict</c>: ELEPHANT's detection workflow.</summary>
internal static class SegmentationEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.Post("/seg/update", Update, "Update detection labels", "Rebuilds the label frames of the sent timepoints (batch, live or reset); pauses a running training meanwhile.");
        endpoints.Post("/seg/train", Train, "Train detection", "Writes the labels of the sent spots and trains n_epochs epochs (or live: one epoch per live label update), saving the model after each epoch; the request stays open until the end.");
        endpoints.Post("/seg/predict", Predict, "Predict spots", "Detects the nuclei of a timepoint (or of crop_box) with the model as last saved (use_2d: a 2-D model slice by slice; input_size: on the resampled frame); pauses a running training meanwhile.");
    }

    /// <summary>Label update (batch, live or reset); waits for a running prediction/update and pauses a training.</summary>
    private static Task<IResult> Update(HttpContext context) => JobRunner.UpdateLabelsAsync(context, DetectionLabelWriter.Reset, async (request, folder, lease) =>
    {
        var voxelSize = DatasetFrames.VoxelSize(request.Doubles("scales", 3));
        var live = request.Bool("is_livemode", false);
        var options = new LabelOptions { CentreRatio = request.Double("c_ratio", 0.4), AutoBackgroundThreshold = request.Double("auto_bg_thresh", 0) };
        var spots = DetectionSpotParser.ByTimepoint(request);
        var liveUpdates = context.Service<LiveUpdates>();
        if (live && liveUpdates.IsPending)
        {
            throw new ElephantRequestException("Last update/training is ongoing");
        }

        if (spots.Count == 0)
        {
            throw new ElephantRequestException("nothing to update");
        }

        if (live && spots.Count > 1)
        {
            throw new ElephantRequestException("Livemode should update only a single timepoint");
        }

        var (completed, _) = await JobRunner.RunAbortableAsync(() =>
        {
            foreach (var (t, group) in spots)
            {
                lease.Aborted.ThrowIfCancellationRequested();
                DetectionLabelWriter.Write(folder, t, voxelSize, group, options, lease.Aborted).Dispose();
            }

            return true;
        }, lease.Aborted).ConfigureAwait(false);
        if (completed && live)
        {
            liveUpdates.Post(spots.Keys.Single());
        }

        return ElephantResponses.Completed(completed);
    });

    /// <summary>Batch or live training; the request stays open until it ends (<c>completed: false</c> after an abort).</summary>
    private static async Task<IResult> Train(HttpContext context)
    {
        var request = await ElephantJsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var workspace = context.Service<ElephantWorkspace>();
        var folder = workspace.DatasetFolder(request.String("dataset_name"));
        var modelPath = workspace.ModelPath(request.String("model_name"));
        var crops = request.Int("n_crops");
        var live = request.Bool("is_livemode", false);
        var spots = DetectionSpotParser.ByTimepoint(request);
        JobRunner.RequireTrainable(crops, spots.Count, live);

        var cropSize = request.Ints("crop_size", 3);
        var classWeights = request.Has("class_weights") ? request.Doubles("class_weights", 3) : [1, 10, 10];
        var training = new DetectionTrainingOptions
        {
            CropSize = (cropSize[2], cropSize[1], cropSize[0]),
            CropsPerTimepoint = crops,
            Epochs = request.Int("n_epochs"),
            BatchSize = request.Int("batch_size", 1),
            LearningRate = request.Double("lr"),
            ScaleAugmentation = request.Double("aug_scale_factor_base", 0),
            RotationAugmentation = request.Int("aug_rotation_angle", 0),
            ContrastAugmentation = request.Double("aug_contrast", 0),
            Loss = new DetectionLossOptions { ClassWeights = (classWeights[0], classWeights[1], classWeights[2]), FalseWeight = request.Double("false_weight", 10) },
            Seed = context.Service<ElephantServerOptions>().Seed,
        };
        var job = new DetectionTrainingRequest(
            folder,
            modelPath,
            DatasetFrames.VoxelSize(request.Doubles("scales", 3)),
            spots,
            live,
            request.Int("n_keep_axials", 4),
            training,
            new LabelOptions { CentreRatio = request.Double("c_ratio", 0.4), AutoBackgroundThreshold = request.Double("auto_bg_thresh", 0) },
            request.OptionalInts("input_size", 3));
        var images = DatasetFrames.Open(folder, "imgs.zarr");
        var (depth, height, width) = DatasetFrames.Shape(images);
        InputResize.Factor(job.InputSize, depth, height, width, images.Rank == 4);

        var liveUpdates = context.Service<LiveUpdates>();
        var trainer = context.Service<DetectionTrainingJob>();
        return await JobRunner.RunExclusiveAsync(context, aborted => trainer.Run(job, aborted), live ? liveUpdates.Begin : null, liveUpdates.End).ConfigureAwait(false);
    }

    /// <summary>Detects the nuclei of one frame (or crop box); pauses a running training meanwhile.</summary>
    private static async Task<IResult> Predict(HttpContext context)
    {
        var request = await ElephantJsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var workspace = context.Service<ElephantWorkspace>();
        var patch = request.OptionalInts("patch", 3);
        var prediction = new PredictionOptions
        {
            BatchSize = request.Int("batch_size", 1),
            MitigateEdgeDiscontinuities = request.Bool("is_pad", false),
            SliceWiseMedianCorrection = request.Bool("use_median", false),
        };
        var job = new DetectionPredictionRequest(
            workspace.DatasetFolder(request.String("dataset_name")),
            workspace.ModelPath(request.String("model_name")),
            DatasetFrames.VoxelSize(request.Doubles("scales", 3)),
            request.Int("timepoint"),
            request.OptionalInts("input_size", 3),
            request.OptionalInts("crop_box", 6),
            new NucleusDetectorOptions
            {
                Prediction = patch is null ? prediction with { PatchSize = (int.MaxValue, int.MaxValue, int.MaxValue) } : prediction with { PatchSize = (patch[2], patch[1], patch[0]) },
                SpotExtraction = new SpotExtractionOptions
                {
                    CentreRatio = request.Double("c_ratio", 0.4),
                    ProbabilityThreshold = request.Double("p_thresh", 0.5),
                    MinimumRadius = request.Double("r_min", 0),
                    MaximumRadius = request.Double("r_max", 1e6),
                },
            },
            request.Bool("output_prediction", false),
            request.Bool("use_2d", false));

        var states = context.Service<ProcessStateMachine>();
        using var lease = await states.EnterInterleavedAsync(context.RequestAborted).ConfigureAwait(false);
        if (lease is null)
        {
            return ElephantResponses.Completed(false);
        }

        var predictor = context.Service<DetectionPredictionJob>();
        var (_, spots) = await JobRunner.RunAbortableAsync(() => predictor.Run(job, lease.Aborted), lease.Aborted).ConfigureAwait(false);
        return ElephantResponses.Json(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("completed", spots is not null);
            w.WriteStartArray("spots");
            foreach (var spot in spots ?? [])
            {
                w.WriteStartObject();
                w.WriteFiniteNumbers("covariance", spot.Covariance);
                w.WriteFiniteNumbers("pos", [spot.X, spot.Y, spot.Z]);
                w.WritePropertyName("quality");
                w.WriteFiniteNumberValue(spot.Quality);
                w.WriteNumber("t", job.Timepoint);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
