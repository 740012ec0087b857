using System.Globalization;
using CellVision.Core.Annotations;

namespace CellVision.Tracking;

/// <summary>ELEPHANT's "count divisions": divisions per timepoint over the whole graph or per root track, with CSV output.</summary>
/// <remarks>A division is a spot with two or more children (ELEPHANT counts exactly two); it is counted at the spot's timepoint.</remarks>
public static class DivisionCounts
{
    /// <summary>Divisions at each timepoint from 0 to the graph's last timepoint ("entire" mode).</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="approvedOnly">Count only spots whose tracking tag is Approved, as ELEPHANT does.</param>
    /// <returns>One count per timepoint (empty for an empty graph).</returns>
    public static int[] PerTimepoint(LineageGraph graph, bool approvedOnly = false)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var counts = new int[graph.Timepoints.DefaultIfEmpty(-1).Max() + 1];
        foreach (var spot in graph.Spots)
        {
            if (spot.Outgoing.Count >= 2 && (!approvedOnly || spot.TrackingTag == TrackingTag.Approved))
            {
                counts[spot.Timepoint]++;
            }
        }

        return counts;
    }

    /// <summary>Writes per-timepoint counts as CSV: a header "Timepoint,Divisions", then one row per timepoint.</summary>
    /// <param name="counts">The counts, index = timepoint.</param>
    /// <param name="writer">The destination.</param>
    public static void WriteCsv(IReadOnlyList<int> counts, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("Timepoint,Divisions\n");
        for (var t = 0; t < counts.Count; t++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{t},{counts[t]}\n"));
        }
    }

    /// <summary>Divisions per timepoint of each root track ("trackwise" mode).</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="includeRoot">Which root tracks to count (null: all; ELEPHANT: <see cref="LineageTools.IsCompleted"/>).</param>
    /// <returns>The table.</returns>
    public static TrackDivisionCounts PerTrack(LineageGraph graph, Func<Spot, bool>? includeRoot = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var roots = Tracks.Roots(graph, includeRoot);
        var timepoints = graph.Timepoints.DefaultIfEmpty(-1).Max() + 1;
        var counts = new int[timepoints, roots.Count];
        for (var t = 0; t < timepoints; t++)
        {
            for (var r = 0; r < roots.Count; r++)
            {
                counts[t, r] = -1;
            }
        }

        var spots = new List<Spot>();
        for (var r = 0; r < roots.Count; r++)
        {
            Tracks.Collect(roots[r], spots);
            foreach (var spot in spots)
            {
                counts[spot.Timepoint, r] = Math.Max(0, counts[spot.Timepoint, r]) + (spot.Outgoing.Count >= 2 ? 1 : 0);
            }
        }

        return new TrackDivisionCounts(roots, counts);
    }
}

/// <summary>Divisions per timepoint of each root track; -1 where the track has no spot at that timepoint (as in ELEPHANT).</summary>
public sealed class TrackDivisionCounts
{
    private readonly int[,] counts;

    internal TrackDivisionCounts(IReadOnlyList<Spot> roots, int[,] counts)
    {
        Roots = roots;
        this.counts = counts;
        Labels = [.. roots.Select(r => r.Label ?? r.Id.ToString(CultureInfo.InvariantCulture))];
    }

    /// <summary>The roots of the tracks, in column order.</summary>
    public IReadOnlyList<Spot> Roots { get; }

    /// <summary>The column labels: each root's label, or its identifier when it has none.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The number of timepoints (rows), from 0.</summary>
    public int TimepointCount => counts.GetLength(0);

    /// <summary>The divisions of a track at a timepoint, or -1 when the track has no spot there.</summary>
    /// <param name="timepoint">The timepoint.</param>
    /// <param name="track">The track's column.</param>
    public int this[int timepoint, int track] => counts[timepoint, track];

    /// <summary>Writes the table as CSV: a header "Timepoint,label1,label2,…", then one row per timepoint.</summary>
    /// <param name="writer">The destination.</param>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("Timepoint");
        foreach (var label in Labels)
        {
            writer.Write(',');
            writer.Write(Escape(label));
        }

        writer.Write('\n');
        for (var t = 0; t < TimepointCount; t++)
        {
            writer.Write(t.ToString(CultureInfo.InvariantCulture));
            for (var r = 0; r < Roots.Count; r++)
            {
                writer.Write(',');
                writer.Write(counts[t, r].ToString(CultureInfo.InvariantCulture));
            }

            writer.Write('\n');
        }
    }

    private static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
