namespace CellVision.Detection;

/// <summary>Every setting of a <see cref="NucleusDetector"/>, each with ELEPHANT's defaults.</summary>
public sealed record NucleusDetectorOptions
{
    /// <summary>Patch size, batch size, blending and test-time flips of the prediction.</summary>
    public PredictionOptions Prediction { get; init; } = new();

    /// <summary>Threshold, centre ratio and radius limits of the nuclei found in the probabilities.</summary>
    public SpotExtractionOptions SpotExtraction { get; init; } = new();

    /// <summary>
    /// Crops, epochs, learning rate, augmentation and the seed of training. A set
    /// <see cref="DetectionTrainingOptions.Seed"/> also seeds the network's random initialisation, so the same seed
    /// gives the same weights and the same detections.
    /// </summary>
    public DetectionTrainingOptions Training { get; init; } = new();

    /// <summary>How tagged spots are painted into training labels.</summary>
    public LabelOptions Labels { get; init; } = new();

    /// <summary>How detected nuclei are merged into the spots a timepoint already holds (ELEPHANT's client: 3 µm).</summary>
    public SuppressionOptions Suppression { get; init; } = new();
}
