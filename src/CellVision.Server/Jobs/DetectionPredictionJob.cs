using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.Server.Http;
using CellVision.Server.Messaging;
using CellVision.Torch;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Jobs;

/// <summary>
/// <c>/seg/predict</c>'s work: the model file as last saved (a running training saves after every epoch) is loaded into
/// a <see cref="NucleusDetector"/> (kept by <see cref="DetectorCache"/> while the file and options stay the same), which detects the nuclei of the frame or of the crop box, exactly as the library call
/// <see cref="NucleusDetector.DetectFrame"/>; positions inside a crop box are shifted back to the whole frame. With an
/// <c>input_size</c> other than the image size the frame (or crop) is resampled as ELEPHANT does
/// (<see cref="InputResize"/>, <see cref="PredictionOptions.ResizeFactor"/>); with <c>use_2d</c> a 2-D model predicts
/// slice by slice.
/// </summary>
internal sealed class DetectionPredictionJob(ModelFiles models, DetectorCache detectors, IServerMessagePublisher publisher, ILogger<DetectionPredictionJob> logger)
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
        using var frame = DatasetFrames.Read(images, request.Timepoint, request.VoxelSize, cancellationToken);
        var box = CropBox(request.CropBox, depth, height, width);
        var options = request.Options with { Prediction = request.Options.Prediction with { ResizeFactor = factor } };
        var region = box ?? Box.FromZyx(0, 0, 0, depth, height, width);
        using var input = box is null ? null : frame.Crop(region);
        var source = input ?? frame;
        Action<DetectionProbabilities>? outputs = request.OutputPrediction ? p => WriteOutputs(request.DatasetFolder, request.Timepoint, region, p, cancellationToken) : null;
        IReadOnlyList<DetectedSpot> spots;
        if (request.SliceWise)
        {
            spots = DetectSliceWise(request.ModelPath, source, options, outputs, cancellationToken);
        }
        else
        {
            models.EnsureExists(request.ModelPath);
            spots = detectors.Use(request.ModelPath, options, detector => outputs is null
                ? detector.DetectFrame(source, cancellationToken: cancellationToken)
                : detector.DetectFrameWithProbabilities(source, outputs, cancellationToken: cancellationToken));
        }

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
    /// ELEPHANT's <c>use_2d</c>: the model file's 2-D U-Net (or ensemble) predicts each Z slice and the nuclei are
    /// extracted in 3-D (<see cref="SliceWiseDetectionPredictor"/>). A missing file is not created (a random 2-D network
    /// would replace nothing useful), and a 3-D model is refused, both with an error the client shows.
    /// </summary>
    private static IReadOnlyList<DetectedSpot> DetectSliceWise(string modelPath, Volume<ushort> frame, NucleusDetectorOptions options, Action<DetectionProbabilities>? outputs, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new ElephantRequestException($"use_2d needs a 2-D detection model, and {name} does not exist; reset it From file or From URL with a 2-D ELEPHANT model (e.g. versatile2d.pth)", 500);
        }

        IReadOnlyList<DetectionUNet2D> networks;
        try
        {
            networks = DetectionUNet2D.LoadEnsemble(modelPath);
        }
        catch (Exception exception) when (exception is StateDictMismatchException or ArgumentException)
        {
            throw new ElephantRequestException($"use_2d needs a 2-D detection model, and {name} is not one (a 3-D model predicts without use_2d): {exception.Message}", 500);
        }

        try
        {
            using var normalised = Normalization.MinMaxToUnit(frame);
            return new SliceWiseDetectionPredictor(networks).Detect(normalised, options.Prediction, options.SpotExtraction, probabilitiesReady: outputs, cancellationToken: cancellationToken);
        }
        finally
        {
            foreach (var network in networks)
            {
                network.Dispose();
            }
        }
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
