using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.Server.Http;
using CellVision.Server.Messaging;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Jobs;

/// <summary>
/// <c>/seg/predict</c>'s work: the model file as last saved (a running training saves after every epoch) is loaded into
/// a <see cref="NucleusDetector"/>, which detects the nuclei of the frame or of the crop box, exactly as the library call
/// <see cref="NucleusDetector.DetectFrame"/>; positions inside a crop box are shifted back to the whole frame. With an
/// <c>input_size</c> other than the image size the frame (or crop) is resampled as ELEPHANT does
/// (<see cref="InputResize"/>, <see cref="PredictionOptions.ResizeFactor"/>).
/// </summary>
internal sealed class DetectionPredictionJob(ModelFiles models, IServerMessagePublisher publisher, ILogger<DetectionPredictionJob> logger, ILoggerFactory loggers)
{
    /// <summary>Detects the nuclei.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">The abort token.</param>
    /// <returns>The nuclei in µm, whole-frame coordinates.</returns>
    public IReadOnlyList<DetectedSpot> Run(DetectionPredictionRequest request, CancellationToken cancellationToken)
    {
        var images = DatasetFrames.Open(request.DatasetFolder, "imgs.zarr");
        var (depth, height, width) = DatasetFrames.Shape(images);
        var factor = InputResize.Factor(request.InputSize, depth, height, width, images.Rank == 4);
        models.EnsureExists(request.ModelPath);
        using var frame = DatasetFrames.Read(images, request.Timepoint, request.VoxelSize, cancellationToken);
        var box = CropBox(request.CropBox, depth, height, width);
        var options = request.Options with { Prediction = request.Options.Prediction with { ResizeFactor = factor } };
        using var detector = NucleusDetector.Load(request.ModelPath, options, loggers.CreateLogger<NucleusDetector>());
        var region = box ?? Box.FromZyx(0, 0, 0, depth, height, width);
        using var input = box is null ? null : frame.Crop(region);
        var source = input ?? frame;
        var spots = request.OutputPrediction
            ? detector.DetectFrameWithProbabilities(source, p => WriteOutputs(request.DatasetFolder, request.Timepoint, region, p, cancellationToken), cancellationToken: cancellationToken)
            : detector.DetectFrame(source, cancellationToken: cancellationToken);
        var voxel = request.VoxelSize;
        var (x, y, z) = (InputResize.Origin(region.Start[2], factor.Width, voxel.X), InputResize.Origin(region.Start[1], factor.Height, voxel.Y), InputResize.Origin(region.Start[0], factor.Depth, voxel.Z));
        if (box is not null)
        {
            spots = [.. spots.Select(s => s with { X = s.X + x, Y = s.Y + y, Z = s.Z + z })];
        }

        publisher.Publish(ServerQueues.Prediction, ServerMessages.PredictionUpdated, logger);
        return spots;
    }

    /// <summary>
    /// ELEPHANT's <c>output_prediction</c>: the probabilities of the predicted region go into <c>seg_outputs.zarr[t]</c>,
    /// (Z, Y, X, class) float16 with classes background, border, centre.
    /// </summary>
    private static void WriteOutputs(string datasetFolder, int t, Box region, DetectionProbabilities probabilities, CancellationToken cancellationToken)
    {
        var outputs = DatasetFrames.Open(datasetFolder, "seg_outputs.zarr");
        if (outputs.Rank != 5)
        {
            throw new ElephantRequestException("seg_outputs.zarr is not (T, Z, Y, X, 3); generate the dataset again", 500);
        }

        var length = probabilities.Centre.Length;
        var values = new Half[length * 3];
        var background = probabilities.Background.Span;
        var border = probabilities.Border.Span;
        var centre = probabilities.Centre.Span;
        for (var i = 0; i < length; i++)
        {
            values[i * 3] = (Half)background[i];
            values[(i * 3) + 1] = (Half)border[i];
            values[(i * 3) + 2] = (Half)centre[i];
        }

        long[] start = [t, region.Start[0], region.Start[1], region.Start[2], 0];
        long[] size = [1, region.Size[0], region.Size[1], region.Size[2], 3];
        outputs.Write<Half>(new Box(start, size), values, cancellationToken: cancellationToken);
    }

    /// <summary>The crop box as a (Z, Y, X) box clamped into the frame, or null for the whole frame.</summary>
    public static Box? CropBox(int[]? cropBox, int depth, int height, int width)
    {
        if (cropBox is null)
        {
            return null;
        }

        var (sx, sy, sz) = (Math.Clamp(cropBox[3], 1, width), Math.Clamp(cropBox[4], 1, height), Math.Clamp(cropBox[5], 1, depth));
        var (ox, oy, oz) = (Math.Clamp(cropBox[0], 0, width - sx), Math.Clamp(cropBox[1], 0, height - sy), Math.Clamp(cropBox[2], 0, depth - sz));
        return Box.FromZyx(oz, oy, ox, sz, sy, sx);
    }
}
