using CellVision.Core.Spatial;

namespace CellVision.Detection;

/// <summary>How predicted nuclei are merged into the annotations (ELEPHANT's client), with its defaults.</summary>
public sealed record SuppressionOptions
{
    /// <summary>The options of ELEPHANT's live mode: only the current timepoint is predicted.</summary>
    public static SuppressionOptions Live { get; } = new() { TimeRange = 1 };

    /// <summary>
    /// A predicted nucleus whose centre lies closer than this (physical units, strictly) to an existing spot's centre is
    /// not added (ELEPHANT's suppression distance d_sup: 3.0).
    /// </summary>
    public double SuppressionDistance { get; init; } = 3.0;

    /// <summary>Timepoints predicted at once, ending with the current one (ELEPHANT: 10; 1 in live mode).</summary>
    public int TimeRange { get; init; } = 10;

    /// <summary>
    /// The region predicted ("around mouse"); null for whole frames. Only spots inside it are re-labelled or removed
    /// before the predicted nuclei are merged; the nearest-spot search still sees every spot of the timepoint.
    /// </summary>
    public PhysicalBox? CropBox { get; init; }

    /// <summary>
    /// Whether an unlabelled spot with an approved tracking tag is refitted to a larger predicted nucleus like any other
    /// unlabelled spot. False (ELEPHANT's rule) keeps approved spots as they are and drops the prediction.
    /// </summary>
    public bool RefitApprovedSpots { get; init; }
}

/// <summary>What <see cref="SpotSuppressor.Apply"/> did at one timepoint.</summary>
/// <param name="Relabelled">Existing spots re-labelled before merging (tp→fn, fp→tn, fb→tb).</param>
/// <param name="Removed">Unlabelled, unapproved spots removed before merging.</param>
/// <param name="Confirmed">Existing spots a prediction re-tagged (fn→tp, tn→fp, tb→fb).</param>
/// <param name="Suppressed">Predicted nuclei dropped because a spot lay closer than the suppression distance (confirmations included, refits excluded).</param>
/// <param name="Refitted">Unlabelled spots moved to and reshaped as a larger predicted nucleus.</param>
/// <param name="Added">Predicted nuclei added as new spots.</param>
public readonly record struct SuppressionResult(int Relabelled, int Removed, int Confirmed, int Suppressed, int Refitted, int Added);
