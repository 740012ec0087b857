namespace CellVision.Benchmarks;

/// <summary>What <see cref="PlantSegAccuracy"/> trains, loads and predicts; the defaults live with the command's options.</summary>
internal sealed class PlantSegAccuracySettings
{
    /// <summary>The folder holding the raw and label TIFFs of the ovule crop.</summary>
    public required string Data { get; init; }

    /// <summary>How many nuclei are annotated from their instance masks.</summary>
    public required int Nuclei { get; init; }

    /// <summary>"large" (instances of at least the median size, as a user picks nuclei fully in view) or "all".</summary>
    public required string Pick { get; init; }

    public required int Epochs { get; init; }

    public required int Crops { get; init; }

    /// <summary>Training crop D, H, W.</summary>
    public required int[] Crop { get; init; }

    /// <summary>Prediction patch D, H, W.</summary>
    public required int[] Patch { get; init; }

    /// <summary>Smallest radius kept by the spot extraction (µm).</summary>
    public required double MinimumRadius { get; init; }

    /// <summary>The percentile of the normalised intensities below which voxels become background labels.</summary>
    public required double BackgroundPercentile { get; init; }

    public required double LearningRate { get; init; }

    public required double Scale { get; init; }

    public required int Rotation { get; init; }

    public required double Contrast { get; init; }

    /// <summary>Crops per learning rate of <see cref="Detection.DetectionPrior"/> training first; 0 skips it.</summary>
    public required int Prior { get; init; }

    public required int Seed { get; init; }

    public required int Threads { get; init; }

    /// <summary>Replicate padding in prediction.</summary>
    public required bool Pad { get; init; }

    /// <summary>Average the prediction over mirror images.</summary>
    public required bool Flips { get; init; }

    /// <summary>Print what the network predicts on crops around the annotated nuclei.</summary>
    public required bool Probe { get; init; }

    /// <summary>Where to save the weights after each epoch; a {epoch} in it keeps one file per epoch.</summary>
    public string? Save { get; init; }

    /// <summary>Weights to continue training from.</summary>
    public string? Init { get; init; }

    /// <summary>Comma-separated weight files to load instead of training (several are averaged as an ensemble).</summary>
    public string? Load { get; init; }
}
