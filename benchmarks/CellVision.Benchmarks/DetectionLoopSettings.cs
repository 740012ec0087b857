using CellVision.Detection;

namespace CellVision.Benchmarks;

/// <summary>What <see cref="DetectionLoop"/> runs; the defaults live with the command's options.</summary>
internal sealed class DetectionLoopSettings
{
    /// <summary>"plantseg" (the ovule crop) or "demo" (the demo's synthetic movie).</summary>
    public required string Data { get; init; }

    /// <summary>The folder of the ovule crop's raw and label TIFFs.</summary>
    public required string PlantSegFolder { get; init; }

    /// <summary>Nuclei annotated before the first training (at the first timepoint).</summary>
    public required int Nuclei { get; init; }

    /// <summary>Proofreading rounds after the first prediction.</summary>
    public required int Rounds { get; init; }

    /// <summary>Epochs of the first training, from the few annotated nuclei.</summary>
    public required int InitialEpochs { get; init; }

    /// <summary>Epochs of each retraining after a round of corrections.</summary>
    public required int RoundEpochs { get; init; }

    public required int Crops { get; init; }

    /// <summary>Training crop D, H, W.</summary>
    public required int[] Crop { get; init; }

    public required double LearningRate { get; init; }

    /// <summary>Adam's learning rate of the retrainings (null: <see cref="LearningRate"/>).</summary>
    public double? RoundLearningRate { get; init; }

    /// <summary>ELEPHANT's false weight (fn/fp/fb labels), the class weights stay (1, 10, 10).</summary>
    public required double FalseWeight { get; init; }

    /// <summary>Suppression distance in µm of the merge of predictions into the annotations.</summary>
    public required double Suppression { get; init; }

    /// <summary>Centre probability threshold of the spot extraction.</summary>
    public required double Threshold { get; init; }

    /// <summary>Smallest radius (µm) a detection keeps.</summary>
    public required double MinimumRadius { get; init; }

    public required bool Flips { get; init; }

    /// <summary>Replicate padding of the frame in prediction (ELEPHANT's "mitigate edge discontinuities").</summary>
    public required bool Pad { get; init; }

    public required double Scale { get; init; }

    public required double Contrast { get; init; }

    /// <summary>The proofreader's budgets and orders.</summary>
    public required ProofreadingOptions Proofreading { get; init; }

    public required int Seed { get; init; }

    public required int Threads { get; init; }

    /// <summary>Missed pieces smaller than this fraction of the median instance are not added (0: every piece).</summary>
    public required double VisibleFraction { get; init; }

    /// <summary>Run the loop on the first half of the ovule crop (z) and score the model on the other half after each round.</summary>
    public required bool Split { get; init; }

    /// <summary>Weights of the first training: loaded when the file exists, else written after it (null: always train).</summary>
    public string? Initial { get; init; }

    /// <summary>Label updates timed in live mode after the loop (0: none).</summary>
    public required int LiveUpdates { get; init; }

    /// <summary>Where the per-round table goes (CSV), and an SVG figure beside it; null for none.</summary>
    public string? Csv { get; init; }
}
