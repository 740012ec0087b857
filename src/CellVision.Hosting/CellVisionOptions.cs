using CellVision.Detection;
using CellVision.Segmentation;
using CellVision.Evaluation;
using CellVision.Tracking;

namespace CellVision.Hosting;

/// <summary>
/// The settings that <c>services.AddCellVision(configure)</c> registers. Every section starts with the reference
/// defaults of its record (ELEPHANT's client, scikit-image, the Cell Tracking Challenge) and is registered on its own as
/// <see cref="Microsoft.Extensions.Options.IOptions{TOptions}"/>, so a service can ask for just the section it needs.
/// The sections are immutable records: change one with a <c>with</c> expression.
/// </summary>
/// <example>
/// <code>
/// services.AddCellVision(o =>
/// {
///     o.Linking = o.Linking with { DistanceThreshold = 3.0 };
///     o.Clahe = o.Clahe with { ClipLimit = 0.02 };
/// });
/// </code>
/// </example>
public sealed class CellVisionOptions
{
    /// <summary>How frames are cut into patches and blended when nuclei are detected (ELEPHANT: 24 × 384 × 384 patches).</summary>
    public PredictionOptions Prediction { get; set; } = new();

    /// <summary>How centre probabilities become nuclei: threshold, centre ratio, radius limits (ELEPHANT: 0.5, 0.4, 1–5 µm).</summary>
    public SpotExtractionOptions SpotExtraction { get; set; } = new();

    /// <summary>Detector training: crop size, crops per timepoint, epochs, learning rate, augmentation, seed (ELEPHANT: 16 × 256 × 256, 5, 10, 0.001).</summary>
    public DetectionTrainingOptions DetectionTraining { get; set; } = new();

    /// <summary>How annotated spots become training labels: centre ratio, auto-background threshold, minimum voxels (ELEPHANT: 0.4, off, 9).</summary>
    public LabelOptions Labels { get; set; } = new();

    /// <summary>How detected nuclei are merged into the spots a timepoint holds (ELEPHANT's client: within 3 µm the larger ellipsoid stays).</summary>
    public SuppressionOptions Suppression { get; set; } = new();

    /// <summary>Nearest-neighbour linking: distance threshold, maximum edges, search depth and neighbours (ELEPHANT: 5 µm, 2, 1, 3).</summary>
    public NearestNeighborLinkingOptions Linking { get; set; } = new();

    /// <summary>CLAHE: kernel size, clip limit, bins (scikit-image: 1/8 of each dimension, 0.01, 256).</summary>
    public ClaheOptions Clahe { get; set; } = new();

    /// <summary>The GNN cell tracker: features, gate, optimiser, windows, early stopping, decoder, seed (cell-tracker-gnn's settings).</summary>
    public GnnTrackerOptions GnnTracking { get; set; } = new();

    /// <summary>Which Cell Tracking Challenge measures are computed and with which AOGM weights (all of them, the CTC's weights).</summary>
    public CtcEvaluationOptions CtcEvaluation { get; set; } = new();

    /// <summary>The ground truth labels that the segmentation measures ignore (scikit-image: none for VOI, 0 for the adapted Rand error).</summary>
    public SegmentationEvaluationOptions SegmentationEvaluation { get; set; } = new();

    /// <summary>Flood-filling inference (<see cref="IFloodFillSegmentation"/>); the reference request's values by default.</summary>
    public FloodFillInferenceOptions FloodFillInference { get; set; } = new();

    /// <summary>Semantic block-wise prediction (<see cref="ISemanticSegmentation"/>); incasem's 204³ blocks by default.</summary>
    public SemanticPredictionOptions SemanticPrediction { get; set; } = new();

    /// <summary>Semantic training (<see cref="ISemanticSegmentation"/>); incasem's settings by default.</summary>
    public SemanticTrainingOptions SemanticTraining { get; set; } = new();
}
