using System.Globalization;
using CellVision.Core.Annotations;
using CellVision.Evaluation;

namespace CellVision.Benchmarks;

/// <summary>
/// The true links of a lineage over fixed cells (each cell a key with its timepoint), and the measures of predicted
/// links over the same cells: link precision and recall, division recall (true divisions whose daughter links are all
/// predicted), predicted divisions, and the CTC TRA and LNK of <see cref="LinkEvaluator"/> (vertices match themselves).
/// </summary>
/// <typeparam name="TKey">A cell's key.</typeparam>
internal sealed class LinkTruth<TKey>
    where TKey : notnull
{
    private readonly Func<TKey, int> timepoint;

    public LinkTruth(IEnumerable<TKey> cells, IEnumerable<(TKey Source, TKey Target)> links, Func<TKey, int> timepoint)
    {
        Cells = [.. cells];
        Links = [.. links];
        this.timepoint = timepoint;
        Divisions = [.. Links.GroupBy(l => l.Source).Where(g => g.Count() >= 2).Select(g => g.ToArray())];
    }

    public IReadOnlyList<TKey> Cells { get; }

    public HashSet<(TKey Source, TKey Target)> Links { get; }

    public IReadOnlyList<(TKey Source, TKey Target)[]> Divisions { get; }

    /// <summary>One line: method, link counts and measures, and the seconds given.</summary>
    public string Report(string method, IReadOnlyCollection<(TKey Source, TKey Target)> predicted, double seconds)
    {
        var set = predicted.ToHashSet();
        var correct = set.Count(Links.Contains);
        var precision = set.Count == 0 ? 0 : (double)correct / set.Count;
        var recall = Links.Count == 0 ? 0 : (double)correct / Links.Count;
        var divisions = Divisions.Count(d => d.All(set.Contains));
        var divisionRecall = Divisions.Count == 0 ? double.NaN : (double)divisions / Divisions.Count;
        var predictedDivisions = set.GroupBy(l => l.Source).Count(g => g.Count() >= 2);
        var scores = Score(set);
        return string.Create(CultureInfo.InvariantCulture,
            $"{method} links={set.Count} link_precision={precision:F4} link_recall={recall:F4} division_recall={divisionRecall:F4} ({divisions}/{Divisions.Count}) predicted_divisions={predictedDivisions} tra={scores.Tra:F4} lnk={scores.Lnk:F4} ed={scores.Counts.RedundantEdges} ea={scores.Counts.MissingEdges} ec={scores.Counts.WrongTypeEdges} seconds={seconds:F3}");
    }

    /// <summary>TRA and LNK of the predicted links against the true ones over the same cells.</summary>
    private CtcScores Score(HashSet<(TKey Source, TKey Target)> predicted)
    {
        var truth = Graph(Links);
        var result = Graph(predicted);
        return LinkEvaluator.Evaluate(truth.Graph, result.Graph, spot => truth.Spots[result.Keys[spot]]);
    }

    private (LineageGraph Graph, Dictionary<TKey, Spot> Spots, Dictionary<Spot, TKey> Keys) Graph(IEnumerable<(TKey Source, TKey Target)> links)
    {
        var graph = new LineageGraph();
        var spots = new Dictionary<TKey, Spot>(Cells.Count);
        var keys = new Dictionary<Spot, TKey>(Cells.Count);
        foreach (var cell in Cells)
        {
            var spot = graph.AddSpot(timepoint(cell), 0, 0, 0, 1);
            spots[cell] = spot;
            keys[spot] = cell;
        }

        foreach (var (source, target) in links)
        {
            graph.AddLink(spots[source], spots[target]);
        }

        return (graph, spots, keys);
    }
}
