using CellVision.Core.Volumes;

namespace CellVision.Detection;

/// <summary>
/// What ELEPHANT does around the network for one raw frame, shared by <see cref="DetectionPredictor"/> and
/// <see cref="SliceWiseDetectionPredictor"/>: optional slice-wise median correction and min–max normalisation, the
/// optional input rescaling (<see cref="InputResizing"/>), the prediction, and the nuclei of the centre probabilities
/// on the grid the network saw.
/// </summary>
internal static class FramePipeline
{
    /// <summary>The class probabilities of a raw frame at the frame's size.</summary>
    /// <param name="frame">Raw intensities, (D, H, W).</param>
    /// <param name="options">Normalisation and rescaling.</param>
    /// <param name="predictNormalised">The network's probabilities of a normalised frame.</param>
    public static DetectionProbabilities Predict(Volume<float> frame, PredictionOptions options, Func<Volume<float>, DetectionProbabilities> predictNormalised)
    {
        using var normalised = Normalise(frame, options);
        if (InputResizing.IsIdentity(options.ResizeFactor))
        {
            return predictNormalised(normalised);
        }

        using var resized = InputResizing.Resize(normalised, options.ResizeFactor);
        using var probabilities = predictNormalised(resized);
        return InputResizing.Back(probabilities, frame);
    }

    /// <summary>The nuclei of a raw frame; <paramref name="probabilitiesReady"/> gets the probabilities at the frame's size.</summary>
    /// <param name="frame">Raw intensities, (D, H, W), with the frame's voxel size.</param>
    /// <param name="options">Normalisation and rescaling.</param>
    /// <param name="spotOptions">Threshold, centre ratio and radius limits.</param>
    /// <param name="probabilitiesReady">Receives the probabilities before nuclei are extracted; null for none.</param>
    /// <param name="predictNormalised">The network's probabilities of a normalised frame.</param>
    public static IReadOnlyList<DetectedSpot> Detect(Volume<float> frame, PredictionOptions options, SpotExtractionOptions? spotOptions, Action<DetectionProbabilities>? probabilitiesReady, Func<Volume<float>, DetectionProbabilities> predictNormalised)
    {
        if (InputResizing.IsIdentity(options.ResizeFactor))
        {
            using var probabilities = Predict(frame, options, predictNormalised);
            probabilitiesReady?.Invoke(probabilities);
            return SpotExtractor.Extract(probabilities.Centre, frame.VoxelSize, spotOptions);
        }

        // ELEPHANT normalises, resamples, predicts and finds the nuclei on the resampled grid (whose voxel size keeps
        // positions in µm); only the probabilities it writes out are resampled back.
        using var normalised = Normalise(frame, options);
        using var resized = InputResizing.Resize(normalised, options.ResizeFactor);
        using var resampled = predictNormalised(resized);
        if (probabilitiesReady is not null)
        {
            using var back = InputResizing.Back(resampled, frame);
            probabilitiesReady(back);
        }

        return SpotExtractor.Extract(resampled.Centre, resized.VoxelSize, spotOptions);
    }

    /// <summary>A normalised copy of a raw frame: optional slice-wise median correction, then min–max to [0, 1].</summary>
    private static Volume<float> Normalise(Volume<float> frame, PredictionOptions options)
    {
        var normalised = frame.Crop(frame.Bounds);
        if (options.SliceWiseMedianCorrection)
        {
            Normalization.SliceWiseMedianCorrection(normalised);
        }

        Normalization.MinMaxToUnit(normalised.Span);
        return normalised;
    }
}
