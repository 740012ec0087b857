namespace CellVision.IO.Ctc;

/// <summary>Kinds of inconsistency between CTC label images and track files.</summary>
public enum CtcIssueKind
{
    /// <summary>Two lines share a label.</summary>
    DuplicateLabel,

    /// <summary>A parent label is not a track.</summary>
    UnknownParent,

    /// <summary>A parent does not end before its child begins.</summary>
    ParentEndsTooLate,

    /// <summary>A label appears in a frame outside its track's [B, E].</summary>
    LabelOutsideTrack,

    /// <summary>A label appears in the images but not in the track file.</summary>
    UnlistedLabel,

    /// <summary>A track's label is absent from a frame between B and E.</summary>
    MissingFromFrame,

    /// <summary>A frame between B and E has no image file.</summary>
    MissingFrameFile,
}

/// <summary>One inconsistency found by <see cref="CtcValidator"/>.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Label">The track label concerned.</param>
/// <param name="Frame">The frame concerned, or -1.</param>
/// <param name="Message">A readable explanation.</param>
public sealed record CtcIssue(CtcIssueKind Kind, int Label, int Frame, string Message);

/// <summary>
/// Checks a track file against its label images as the CTC evaluation tools do: unique labels, parents that exist and
/// end before their children begin, and in every frame exactly the labels of the tracks alive then.
/// </summary>
public static class CtcValidator
{
    /// <summary>Validates tracks against the labels present in each frame.</summary>
    /// <param name="tracks">The track file's lines.</param>
    /// <param name="labelsPerFrame">For each frame number with an image, the non-zero labels in it.</param>
    /// <returns>Every inconsistency found; empty when the data are consistent.</returns>
    public static IReadOnlyList<CtcIssue> Validate(IReadOnlyList<CtcTrack> tracks, IReadOnlyDictionary<int, IReadOnlySet<int>> labelsPerFrame)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(labelsPerFrame);
        var issues = new List<CtcIssue>();
        var byLabel = new Dictionary<int, CtcTrack>();
        foreach (var track in tracks)
        {
            if (!byLabel.TryAdd(track.Label, track))
            {
                issues.Add(new(CtcIssueKind.DuplicateLabel, track.Label, -1, $"Label {track.Label} appears on more than one line."));
            }
        }

        foreach (var track in tracks.Where(t => t.Parent != 0))
        {
            if (!byLabel.TryGetValue(track.Parent, out var parent))
            {
                issues.Add(new(CtcIssueKind.UnknownParent, track.Label, -1, $"Track {track.Label} names parent {track.Parent}, which is not a track."));
            }
            else if (parent.End >= track.Begin)
            {
                issues.Add(new(CtcIssueKind.ParentEndsTooLate, track.Label, track.Begin, $"Parent {parent.Label} ends at frame {parent.End}, not before its child {track.Label} begins at {track.Begin}."));
            }
        }

        foreach (var (frame, labels) in labelsPerFrame.OrderBy(p => p.Key))
        {
            foreach (var label in labels.Order())
            {
                if (!byLabel.TryGetValue(label, out var track))
                {
                    issues.Add(new(CtcIssueKind.UnlistedLabel, label, frame, $"Label {label} is in frame {frame} but not in the track file."));
                }
                else if (frame < track.Begin || frame > track.End)
                {
                    issues.Add(new(CtcIssueKind.LabelOutsideTrack, label, frame, $"Label {label} is in frame {frame}, outside its track [{track.Begin}, {track.End}]."));
                }
            }
        }

        foreach (var track in byLabel.Values.OrderBy(t => t.Label))
        {
            for (var frame = track.Begin; frame <= track.End; frame++)
            {
                if (!labelsPerFrame.TryGetValue(frame, out var labels))
                {
                    issues.Add(new(CtcIssueKind.MissingFrameFile, track.Label, frame, $"Track {track.Label} spans frame {frame}, which has no label image."));
                }
                else if (!labels.Contains(track.Label))
                {
                    issues.Add(new(CtcIssueKind.MissingFromFrame, track.Label, frame, $"Track {track.Label} spans frame {frame} but its label is absent there."));
                }
            }
        }

        return issues;
    }

    /// <summary>Validates a TRA (<c>man_track*.tif</c> + <c>man_track.txt</c>) or RES (<c>mask*.tif</c> + <c>res_track.txt</c>) folder.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="cancellationToken">Stops between frames.</param>
    /// <returns>Every inconsistency found.</returns>
    public static IReadOnlyList<CtcIssue> ValidateFolder(string folder, CancellationToken cancellationToken = default)
    {
        var isResult = File.Exists(Path.Combine(folder, "res_track.txt"));
        var tracks = CtcTrackFile.Read(Path.Combine(folder, isResult ? "res_track.txt" : "man_track.txt"));
        var sequence = CtcSequence.Open(folder, isResult ? "mask" : "man_track");
        return Validate(tracks, LabelsPerFrame(sequence, cancellationToken));
    }

    /// <summary>The non-zero labels of every frame of a label sequence.</summary>
    /// <param name="sequence">Label images (16-bit).</param>
    /// <param name="cancellationToken">Stops between frames.</param>
    public static IReadOnlyDictionary<int, IReadOnlySet<int>> LabelsPerFrame(CtcSequence sequence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var result = new Dictionary<int, IReadOnlySet<int>>();
        foreach (var frame in sequence.Frames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var volume = sequence.ReadFrame<ushort>(frame);
            var labels = new HashSet<int>();
            foreach (var value in volume.Span)
            {
                if (value != 0)
                {
                    labels.Add(value);
                }
            }

            result[frame] = labels;
        }

        return result;
    }
}
