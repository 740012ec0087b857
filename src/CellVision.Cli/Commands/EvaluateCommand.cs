using System.CommandLine;
using System.Globalization;
using CellVision.Evaluation;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary><c>cellvision evaluate --gt DIR --res DIR</c>: the Cell Tracking Challenge measures and their error counts.</summary>
internal static class EvaluateCommand
{
    internal static Command Create(CommandContext context)
    {
        var groundTruth = new Option<string>("--gt") { Description = "Ground truth: the XX_GT folder (with TRA and optionally SEG) or a TRA folder", Required = true };
        var result = new Option<string>("--res") { Description = "Result: the XX_RES folder (maskNNN.tif and res_track.txt)", Required = true };
        var errors = new Option<int>("--list-errors") { Description = "Also list up to this many errors of each kind", DefaultValueFactory = _ => 0 };
        var command = new Command("evaluate", "Score a tracking result with the Cell Tracking Challenge measures DET, TRA, SEG and LNK (official definitions and weights)")
        {
            groundTruth, result, errors,
        };
        command.SetAction(parse => context.Guard(() =>
        {
            var evaluation = CtcEvaluator.Evaluate(parse.GetValue(groundTruth)!, parse.GetValue(result)!, cancellationToken: context.CancellationToken);
            var scores = evaluation.Scores;
            var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
            foreach (var (name, value) in new[] { ("DET", scores.Det), ("TRA", scores.Tra), ("SEG", scores.Seg), ("LNK", scores.Lnk), ("OP_CTB", scores.OpCtb), ("OP_CSB", scores.OpCsb) })
            {
                table.AddRow(name, value is { } v ? v.ToString("F6", CultureInfo.InvariantCulture) : "n/a");
            }

            var counts = scores.Counts;
            var errorTable = new Table().AddColumn("error").AddColumn(new TableColumn("count").RightAligned()).AddColumn(new TableColumn("weight").RightAligned());
            var weights = AogmWeights.Ctc;
            errorTable.AddRow("false negative vertices (FN)", Count(counts.FalseNegatives), Weight(weights.FalseNegative));
            errorTable.AddRow("false positive vertices (FP)", Count(counts.FalsePositives), Weight(weights.FalsePositive));
            errorTable.AddRow("vertex splits (NS)", Count(counts.Splits), Weight(weights.Split));
            errorTable.AddRow("missing edges (EA)", Count(counts.MissingEdges), Weight(weights.MissingEdge));
            errorTable.AddRow("redundant edges (ED)", Count(counts.RedundantEdges), Weight(weights.RedundantEdge));
            errorTable.AddRow("edges of the wrong type (EC)", Count(counts.WrongTypeEdges), Weight(weights.WrongEdgeType));
            context.Console.Write(table);
            context.Console.Write(errorTable);
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"AOGM {scores.Aogm:F1} of {scores.AogmEmpty:F1} (empty result); {scores.Frames} frames, {scores.ReferenceVertices} reference vertices, {scores.ResultVertices} result vertices"));

            var limit = parse.GetValue(errors);
            if (limit > 0)
            {
                var report = evaluation.Errors;
                List("FN", report.FalseNegatives.Select(v => v.ToString()));
                List("FP", report.FalsePositives.Select(v => v.ToString()));
                List("NS", report.Splits.Select(s => $"{s.Result} covers reference labels {string.Join(',', s.ReferenceLabels)}"));
                List("EA", report.MissingEdges.Select(e => e.ToString()));
                List("ED", report.RedundantEdges.Select(e => e.ToString()));
                List("EC", report.WrongTypeEdges.Select(e => e.ToString()));
            }

            return 0;

            void List(string kind, IEnumerable<string> items)
            {
                foreach (var item in items.Take(limit))
                {
                    context.Console.WriteLine($"{kind} {item}");
                }
            }
        }));
        return command;
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Weight(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
