namespace CellVision.Tracking;

/// <summary>
/// ELEPHANT's tag sets and tag names (the client's <c>ElephantConstantsMixin</c>). "Detection" and "Tracking" are held
/// by <see cref="Core.Annotations.Spot.DetectionTag"/> and the <c>TrackingTag</c> properties; every other set lives in the
/// spots' and links' <c>Tags</c> dictionaries.
/// </summary>
public static class TagSetNames
{
    /// <summary>The detection tag set (tp, fp, tn, fn, tb, fb, unlabeled), held by <see cref="Core.Annotations.Spot.DetectionTag"/>.</summary>
    public const string Detection = "Detection";

    /// <summary>The tracking tag set (Approved, unlabeled), held by the <c>TrackingTag</c> properties.</summary>
    public const string Tracking = "Tracking";

    /// <summary>The division tag set: <see cref="Dividing"/>, <see cref="Divided"/>, <see cref="NonDividing"/>.</summary>
    public const string Division = "Division";

    /// <summary>The progenitor tag set: "1", "2", … per root track, <see cref="Unlabeled"/> otherwise.</summary>
    public const string Progenitor = "Progenitor";

    /// <summary>The proliferator tag set: <see cref="Proliferator"/>, <see cref="NonProliferator"/>, <see cref="Invisible"/>.</summary>
    public const string ProliferatorSet = "Proliferator";

    /// <summary>The status tag set (<see cref="Completed"/>), which ELEPHANT uses to pick the tracks to count and number.</summary>
    public const string Status = "Status";

    /// <summary>A spot with two or more children.</summary>
    public const string Dividing = "Dividing";

    /// <summary>A daughter: a spot whose parent has two or more children.</summary>
    public const string Divided = "Divided";

    /// <summary>Any other spot.</summary>
    public const string NonDividing = "Non-dividing";

    /// <summary>A track with at least one division.</summary>
    public const string Proliferator = "Proliferator";

    /// <summary>A track without division.</summary>
    public const string NonProliferator = "Non-proliferator";

    /// <summary>A track without division that does not cover the whole observation window (undetermined).</summary>
    public const string Invisible = "Invisible";

    /// <summary>The "unlabeled" tag of ELEPHANT's sets.</summary>
    public const string Unlabeled = "unlabeled";

    /// <summary>The approved tracking tag.</summary>
    public const string Approved = "Approved";

    /// <summary>The status of a completely tracked lineage.</summary>
    public const string Completed = "Completed";
}
