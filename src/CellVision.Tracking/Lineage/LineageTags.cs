using CellVision.Core.Annotations;

namespace CellVision.Tracking;

/// <summary>
/// Reads and writes a spot's or link's tag in a named tag set, treating ELEPHANT's built-in "Detection" and "Tracking"
/// sets (enum properties) like the named ones (the <c>Tags</c> dictionaries). A null tag means "no tag in this set";
/// the built-in sets always hold a tag, so clearing them sets "unlabeled".
/// </summary>
public static class LineageTags
{
    /// <summary>The spot's tag in a tag set, or null when it has none.</summary>
    /// <param name="spot">The spot.</param>
    /// <param name="tagSet">The tag set's name.</param>
    public static string? Get(Spot spot, string tagSet)
    {
        ArgumentNullException.ThrowIfNull(spot);
        ArgumentNullException.ThrowIfNull(tagSet);
        return tagSet switch
        {
            TagSetNames.Detection => DetectionName(spot.DetectionTag),
            TagSetNames.Tracking => TrackingName(spot.TrackingTag),
            _ => spot.HasTags && spot.Tags.TryGetValue(tagSet, out var tag) ? tag : null,
        };
    }

    /// <summary>The link's tag in a tag set, or null when it has none.</summary>
    /// <param name="link">The link.</param>
    /// <param name="tagSet">The tag set's name ("Detection" is a spot set: links have none).</param>
    public static string? Get(Link link, string tagSet)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(tagSet);
        return tagSet switch
        {
            TagSetNames.Detection => null,
            TagSetNames.Tracking => TrackingName(link.TrackingTag),
            _ => link.HasTags && link.Tags.TryGetValue(tagSet, out var tag) ? tag : null,
        };
    }

    /// <summary>Sets (or, with null, clears) the spot's tag in a tag set.</summary>
    /// <param name="spot">The spot.</param>
    /// <param name="tagSet">The tag set's name.</param>
    /// <param name="tag">The tag; null removes it (built-in sets: "unlabeled").</param>
    /// <exception cref="ArgumentException">The tag is not one of the built-in set's tags.</exception>
    public static void Set(Spot spot, string tagSet, string? tag)
    {
        ArgumentNullException.ThrowIfNull(spot);
        ArgumentNullException.ThrowIfNull(tagSet);
        switch (tagSet)
        {
            case TagSetNames.Detection:
                spot.DetectionTag = ParseDetection(tag);
                break;
            case TagSetNames.Tracking:
                spot.TrackingTag = ParseTracking(tag);
                break;
            default:
                if (tag is null)
                {
                    if (spot.HasTags)
                    {
                        spot.Tags.Remove(tagSet);
                    }
                }
                else
                {
                    spot.Tags[tagSet] = tag;
                }

                break;
        }
    }

    /// <summary>Sets (or, with null, clears) the link's tag in a tag set.</summary>
    /// <param name="link">The link.</param>
    /// <param name="tagSet">The tag set's name (not "Detection").</param>
    /// <param name="tag">The tag; null removes it ("Tracking": "unlabeled").</param>
    /// <exception cref="ArgumentException">The set is "Detection", or the tag is not one of the tracking tags.</exception>
    public static void Set(Link link, string tagSet, string? tag)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(tagSet);
        switch (tagSet)
        {
            case TagSetNames.Detection:
                throw new ArgumentException("Links carry no detection tag.", nameof(tagSet));
            case TagSetNames.Tracking:
                link.TrackingTag = ParseTracking(tag);
                break;
            default:
                if (tag is null)
                {
                    if (link.HasTags)
                    {
                        link.Tags.Remove(tagSet);
                    }
                }
                else
                {
                    link.Tags[tagSet] = tag;
                }

                break;
        }
    }

    /// <summary>ELEPHANT's name of a detection tag: tp, fp, tn, fn, tb, fb or unlabeled.</summary>
    /// <param name="tag">The tag.</param>
    public static string DetectionName(DetectionTag tag) => tag switch
    {
        DetectionTag.TruePositive => "tp",
        DetectionTag.FalsePositive => "fp",
        DetectionTag.TrueNegative => "tn",
        DetectionTag.FalseNegative => "fn",
        DetectionTag.TrueBorder => "tb",
        DetectionTag.FalseBorder => "fb",
        _ => TagSetNames.Unlabeled,
    };

    /// <summary>ELEPHANT's name of a tracking tag: Approved or unlabeled.</summary>
    /// <param name="tag">The tag.</param>
    public static string TrackingName(TrackingTag tag) => tag == TrackingTag.Approved ? TagSetNames.Approved : TagSetNames.Unlabeled;

    private static DetectionTag ParseDetection(string? tag) => tag switch
    {
        null or TagSetNames.Unlabeled => DetectionTag.Unlabeled,
        "tp" => DetectionTag.TruePositive,
        "fp" => DetectionTag.FalsePositive,
        "tn" => DetectionTag.TrueNegative,
        "fn" => DetectionTag.FalseNegative,
        "tb" => DetectionTag.TrueBorder,
        "fb" => DetectionTag.FalseBorder,
        _ => throw new ArgumentException($"'{tag}' is not a detection tag (tp, fp, tn, fn, tb, fb, unlabeled).", nameof(tag)),
    };

    private static TrackingTag ParseTracking(string? tag) => tag switch
    {
        null or TagSetNames.Unlabeled => TrackingTag.Unlabeled,
        TagSetNames.Approved => TrackingTag.Approved,
        _ => throw new ArgumentException($"'{tag}' is not a tracking tag (Approved, unlabeled).", nameof(tag)),
    };
}
