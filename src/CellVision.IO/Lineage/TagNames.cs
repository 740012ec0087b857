using CellVision.Core.Annotations;

namespace CellVision.IO.Lineage;

/// <summary>ELEPHANT's short tag names (tp, fp, tn, fn, tb, fb, unlabeled; approved, unlabeled) for files.</summary>
public static class TagNames
{
    /// <summary>The short name of a detection tag.</summary>
    /// <param name="tag">The tag.</param>
    public static string Of(DetectionTag tag) => tag switch
    {
        DetectionTag.TruePositive => "tp",
        DetectionTag.FalsePositive => "fp",
        DetectionTag.TrueNegative => "tn",
        DetectionTag.FalseNegative => "fn",
        DetectionTag.TrueBorder => "tb",
        DetectionTag.FalseBorder => "fb",
        _ => "unlabeled",
    };

    /// <summary>The name of a tracking tag.</summary>
    /// <param name="tag">The tag.</param>
    public static string Of(TrackingTag tag) => tag == TrackingTag.Approved ? "approved" : "unlabeled";

    /// <summary>Parses a detection tag name (short or full enum name, any case; empty means unlabeled).</summary>
    /// <param name="text">The name.</param>
    /// <param name="where">File and line for the error message.</param>
    /// <exception cref="InvalidDataException">The name is not a detection tag.</exception>
    public static DetectionTag ParseDetection(string text, string where) => text.Trim().ToLowerInvariant() switch
    {
        "tp" or "truepositive" => DetectionTag.TruePositive,
        "fp" or "falsepositive" => DetectionTag.FalsePositive,
        "tn" or "truenegative" => DetectionTag.TrueNegative,
        "fn" or "falsenegative" => DetectionTag.FalseNegative,
        "tb" or "trueborder" => DetectionTag.TrueBorder,
        "fb" or "falseborder" => DetectionTag.FalseBorder,
        "" or "unlabeled" or "unlabelled" => DetectionTag.Unlabeled,
        _ => throw new InvalidDataException($"{where}: '{text}' is not a detection tag (tp, fp, tn, fn, tb, fb or unlabeled)."),
    };

    /// <summary>Parses a tracking tag name (approved or unlabeled, any case; empty means unlabeled).</summary>
    /// <param name="text">The name.</param>
    /// <param name="where">File and line for the error message.</param>
    /// <exception cref="InvalidDataException">The name is not a tracking tag.</exception>
    public static TrackingTag ParseTracking(string text, string where) => text.Trim().ToLowerInvariant() switch
    {
        "approved" => TrackingTag.Approved,
        "" or "unlabeled" or "unlabelled" => TrackingTag.Unlabeled,
        _ => throw new InvalidDataException($"{where}: '{text}' is not a tracking tag (approved or unlabeled)."),
    };
}
