using System.Globalization;

namespace CellVision.Benchmarks;

/// <summary>
/// A Cell Tracking Challenge sequence cut to a range of frames, renumbered from 0: raw <c>NN/tTTT.tif</c> and
/// <c>NN_GT/TRA/man_trackTTT.tif</c> linked (or copied), and <c>man_track.txt</c> clipped to the range (a track
/// that began before the range loses its parent). Training on early frames and tracking later ones is then scored
/// against exactly the frames tracked.
/// </summary>
internal static class CtcFrameSubset
{
    /// <summary>Writes the subset under <paramref name="destination"/> (<c>NN</c> and <c>NN_GT/TRA</c>).</summary>
    /// <returns>The tracks of the subset: label, begin, end, parent (renumbered frames).</returns>
    internal static IReadOnlyList<(int Label, int Begin, int End, int Parent)> Write(string data, string sequence, (int First, int Last) frames, string destination)
    {
        var raw = Directory.CreateDirectory(Path.Combine(destination, sequence)).FullName;
        var tra = Directory.CreateDirectory(Path.Combine(destination, sequence + "_GT", "TRA")).FullName;
        var source = Path.Combine(data, sequence + "_GT", "TRA");
        var digits = Path.GetFileNameWithoutExtension(Directory.GetFiles(Path.Combine(data, sequence), "t*.tif")[0]).Length - 1;
        for (var t = frames.First; t <= frames.Last; t++)
        {
            var number = t.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
            var renumbered = (t - frames.First).ToString("D3", CultureInfo.InvariantCulture);
            Link(Path.Combine(data, sequence, $"t{number}.tif"), Path.Combine(raw, $"t{renumbered}.tif"));
            Link(Path.Combine(source, $"man_track{number}.tif"), Path.Combine(tra, $"man_track{renumbered}.tif"));
        }

        var kept = new Dictionary<int, (int Label, int Begin, int End, int Parent)>();
        foreach (var line in File.ReadLines(Path.Combine(source, "man_track.txt")).Where(l => l.Trim().Length > 0))
        {
            var v = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            if (v[2] < frames.First || v[1] > frames.Last)
            {
                continue;
            }

            var parent = v[1] > frames.First ? v[3] : 0;
            kept[v[0]] = (v[0], Math.Max(v[1], frames.First) - frames.First, Math.Min(v[2], frames.Last) - frames.First, parent);
        }

        var tracks = kept.Values.Select(r => r with { Parent = kept.ContainsKey(r.Parent) ? r.Parent : 0 }).OrderBy(r => r.Label).ToList();
        File.WriteAllLines(Path.Combine(tra, "man_track.txt"), tracks.Select(r => FormattableString.Invariant($"{r.Label} {r.Begin} {r.End} {r.Parent}")));
        return tracks;
    }

    private static void Link(string from, string to)
    {
        if (!File.Exists(from))
        {
            throw new FileNotFoundException($"'{from}' is missing.", from);
        }

        try
        {
            File.CreateSymbolicLink(to, Path.GetFullPath(from));
        }
        catch (IOException)
        {
            File.Copy(from, to, overwrite: true);
        }
    }
}
