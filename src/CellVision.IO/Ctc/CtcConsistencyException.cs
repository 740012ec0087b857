
namespace CellVision.IO.Ctc;

/// <summary>
/// Thrown when a track file and its label images disagree (a label missing from a frame inside its track's B..E, a
/// label outside its track or not listed, a parent that does not end before its child begins). The official CTC tools
/// refuse such data: java-ctcmetrics stops with "track … was not found in the image at time point …", py-ctcmetrics
/// marks the result invalid.
/// </summary>
public sealed class CtcConsistencyException : CtcFormatException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public CtcConsistencyException() : base("The track file and the label images disagree.")
    {
        Issues = [];
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was wrong.</param>
    public CtcConsistencyException(string message) : base(message)
    {
        Issues = [];
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CtcConsistencyException(string message, Exception innerException) : base(message, innerException)
    {
        Issues = [];
    }

    /// <summary>Creates an exception listing the issues found in a folder.</summary>
    /// <param name="folder">The folder checked.</param>
    /// <param name="issues">Every inconsistency (at least one).</param>
    public CtcConsistencyException(string folder, IReadOnlyList<CtcIssue> issues)
        : base(Describe(folder, issues))
    {
        Folder = folder;
        Issues = issues;
    }

    /// <summary>The folder whose track file and masks disagree.</summary>
    public string? Folder { get; }

    /// <summary>Every inconsistency found.</summary>
    public IReadOnlyList<CtcIssue> Issues { get; }

    private static string Describe(string folder, IReadOnlyList<CtcIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        const int shown = 10;
        var lines = issues.Take(shown).Select(issue => "  " + issue.Message);
        var more = issues.Count > shown ? $"\n  … and {issues.Count - shown} more." : string.Empty;
        return $"{folder}: the track file and the label images disagree ({issues.Count} issue{(issues.Count == 1 ? string.Empty : "s")}):\n{string.Join('\n', lines)}{more}";
    }
}
