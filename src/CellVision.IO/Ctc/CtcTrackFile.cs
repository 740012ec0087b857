using System.Globalization;
using System.Text;

namespace CellVision.IO.Ctc;

/// <summary>Reads and writes CTC track files: one <c>L B E P</c> line per track.</summary>
public static class CtcTrackFile
{
    /// <summary>Reads a track file.</summary>
    /// <param name="path">For example <c>01_GT/TRA/man_track.txt</c>.</param>
    /// <exception cref="CtcFormatException">A line is not four integers or holds impossible values.</exception>
    public static IReadOnlyList<CtcTrack> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var tracks = new List<CtcTrack>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var numbers = new int[4];
            if (parts.Length != 4 || !parts.Select((p, i) => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out numbers[i])).All(ok => ok))
            {
                throw new CtcFormatException(path, $"line {lineNumber}", $"'{line}' is not four integers 'L B E P'.");
            }

            var track = new CtcTrack(numbers[0], numbers[1], numbers[2], numbers[3]);
            if (track.Label < 1 || track.Label > ushort.MaxValue || track.Begin < 0 || track.End < track.Begin || track.Parent < 0)
            {
                throw new CtcFormatException(path, $"line {lineNumber}", $"'{line}' needs 1 ≤ L ≤ 65535, 0 ≤ B ≤ E and P ≥ 0.");
            }

            tracks.Add(track);
        }

        return tracks;
    }

    /// <summary>Writes a track file (atomically: temporary name, then rename), tracks in the given order.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tracks">The tracks.</param>
    public static void Write(string path, IEnumerable<CtcTrack> tracks)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tracks);
        var text = new StringBuilder();
        foreach (var track in tracks)
        {
            text.Append(CultureInfo.InvariantCulture, $"{track.Label} {track.Begin} {track.End} {track.Parent}\n");
        }

        var full = System.IO.Path.GetFullPath(path);
        var temporary = $"{full}.{Guid.NewGuid():N}.partial";
        try
        {
            File.WriteAllText(temporary, text.ToString());
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
