using System.Globalization;
using System.Text;

namespace CellVision.Benchmarks;

/// <summary>The loop's table (CSV) and its figure (SVG): F1 per round, corrections used, seconds per round.</summary>
internal static class DetectionLoopReport
{
    internal static void Write(string csvPath, DetectionLoopSettings settings, IReadOnlyList<DetectionLoopRound> rows)
    {
        var csv = new StringBuilder("round,corrections,false_positives_tagged,missed_added,approved,train_s,predict_s,f1_all,precision_all,recall_all,f1_half,precision_half,recall_half,f1_annotations\n");
        foreach (var r in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{r.Round},{r.Corrections.Corrections},{r.Corrections.FalsePositivesTagged},{r.Corrections.MissedAdded},{r.Corrections.Approved},{r.TrainSeconds:F1},{r.PredictSeconds:F1},")
               .Append(CultureInfo.InvariantCulture, $"{r.All.F1:F3},{r.All.Precision:F3},{r.All.Recall:F3},{r.Half.F1:F3},{r.Half.Precision:F3},{r.Half.Recall:F3},{r.Held.F1:F3}\n");
        }

        File.WriteAllText(csvPath, csv.ToString());
        File.WriteAllText(Path.ChangeExtension(csvPath, ".svg"), Figure(settings, rows));
    }

    private static string Figure(DetectionLoopSettings settings, IReadOnlyList<DetectionLoopRound> rows)
    {
        const int width = 640, height = 360, left = 60, right = 20, top = 40, bottom = 70;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var step = plotWidth / (double)Math.Max(1, rows.Count - 1);
        double X(int round) => left + (round * step);
        double Y(double f1) => top + ((1 - f1) * plotHeight);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"20\" font-size=\"14\">Detection F1 per proofreading round ({settings.Data}, ≤ {settings.Proofreading.CorrectionsPerRound} corrections per round)</text>\n");
        foreach (var tick in new[] { 0.0, 0.25, 0.5, 0.75, 0.9, 0.95, 1.0 })
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(tick):F1}\" y2=\"{Y(tick):F1}\" stroke=\"#ddd\"/><text x=\"{left - 8}\" y=\"{Y(tick) + 4:F1}\" text-anchor=\"end\">{tick:0.##}</text>\n");
        }

        foreach (var r in rows)
        {
            var x = X(r.Round);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:F1}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{r.Round}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:F1}\" y=\"{height - bottom + 32}\" text-anchor=\"middle\" fill=\"#555\">{r.Corrections.Corrections} corr.</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:F1}\" y=\"{height - bottom + 48}\" text-anchor=\"middle\" fill=\"#555\">{r.TrainSeconds + r.PredictSeconds:F0} s</text>\n");
        }

        Series(rows.Select(r => r.Half.F1), "#1f77b4", "model, nuclei ≥ half in view", 0);
        Series(rows.Select(r => r.All.F1), "#d62728", "model, all instances", 1);
        Series(rows.Select(r => r.Held.F1), "#2ca02c", "annotations, all instances", 2);
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (plotWidth / 2)}\" y=\"{height - 4}\" text-anchor=\"middle\">round (corrections before it, seconds of retraining + prediction)</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();

        void Series(IEnumerable<double> values, string colour, string name, int index)
        {
            var points = string.Join(' ', values.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{X(i):F1},{Y(v):F1}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>\n");
            foreach (var (v, i) in values.Select((v, i) => (v, i)))
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(i):F1}\" cy=\"{Y(v):F1}\" r=\"3\" fill=\"{colour}\"/>");
            }

            var legendY = Y(0.4) + (index * 16);
            svg.Append(CultureInfo.InvariantCulture, $"\n<line x1=\"{width - right - 200}\" x2=\"{width - right - 180}\" y1=\"{legendY:F1}\" y2=\"{legendY:F1}\" stroke=\"{colour}\" stroke-width=\"2\"/><text x=\"{width - right - 175}\" y=\"{legendY + 4:F1}\">{name}</text>\n");
        }
    }
}
