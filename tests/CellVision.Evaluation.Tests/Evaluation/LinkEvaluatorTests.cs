using CellVision.Core.Annotations;
using CellVision.Core.Synthetic;
using CellVision.IO.Ctc;
using CellVision.Evaluation;

namespace CellVision.Evaluation.Tests.Evaluation;

public class LinkEvaluatorTests
{
    [Fact]
    public void Edge_errors_equal_what_the_mask_based_evaluator_finds_on_the_same_lineages()
    {
        using var movie = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions
        {
            Timepoints = 8, Depth = 8, Height = 64, Width = 64, InitialNuclei = 6, DivisionProbability = 0.3, AppearanceProbability = 0, Seed = 5,
        });
        var truth = movie.Truth;
        Assert.Contains(truth.Spots, s => s.Outgoing.Count == 2);

        // The result: the same nuclei, one daughter link lost, one link moved to the wrong parent, one link lost.
        var result = new LineageGraph();
        var same = new Dictionary<Spot, Spot>();
        var copyOf = new Dictionary<Spot, Spot>();
        foreach (var spot in truth.Spots.OrderBy(s => s.Id))
        {
            var copy = result.AddSpot(spot.Timepoint, spot.X, spot.Y, spot.Z, spot.Covariance);
            same[copy] = spot;
            copyOf[spot] = copy;
        }

        var mother = truth.Spots.First(s => s.Outgoing.Count == 2);
        var moved = truth.Links.First(l => l.Source.Outgoing.Count == 1 && l.Target.Outgoing.Count == 1 && l.Source.Timepoint > 0);
        var wrongParent = truth.SpotsAt(moved.Source.Timepoint).First(s => s != moved.Source && s.Outgoing.Count == 1);
        var lost = truth.Links.Last(l => l.Source.Outgoing.Count == 1 && l != moved && l.Source != wrongParent && l.Target != moved.Target);
        foreach (var link in truth.Links)
        {
            if (link == mother.Outgoing[0] || link == lost)
            {
                continue;
            }

            var source = link == moved ? wrongParent : link.Source;
            result.AddLink(copyOf[source], copyOf[link.Target]);
        }

        var scores = LinkEvaluator.Evaluate(truth, result, spot => same.GetValueOrDefault(spot));

        var folder = Directory.CreateTempSubdirectory().FullName;
        var frame = movie.Images[0];
        var options = new CtcExportOptions { VoxelSize = frame.VoxelSize, Shape = (frame.Depth, frame.Height, frame.Width), LastFrame = movie.Images.Count - 1 };
        var gt = CtcExporter.Export(truth, Path.Combine(folder, "01_GT", "TRA"), options with { Kind = CtcFolderKind.GroundTruth });
        var res = CtcExporter.Export(result, Path.Combine(folder, "01_RES"), options);
        Assert.Empty(gt.LostSpots);
        Assert.Empty(res.LostSpots);
        var fromMasks = CtcEvaluator.Evaluate(Path.Combine(folder, "01_GT"), Path.Combine(folder, "01_RES")).Scores;
        Directory.Delete(folder, recursive: true);

        Assert.Equal(fromMasks.Counts, scores.Counts);
        Assert.Equal(fromMasks.Tra!.Value, scores.Tra!.Value, 12);
        Assert.Equal(fromMasks.Lnk!.Value, scores.Lnk!.Value, 12);
        Assert.True(scores.Counts.RedundantEdges >= 1 && scores.Counts.MissingEdges >= 3 && scores.Counts.WrongTypeEdges >= 1, scores.Counts.ToString());
    }

    [Fact]
    public void Identical_lineages_score_one()
    {
        var graph = new LineageGraph();
        var a = graph.AddSpot(0, 0, 0, 0, 1.0);
        graph.AddLink(a, graph.AddSpot(1, 0, 0, 0, 1.0));
        graph.AddLink(a, graph.AddSpot(1, 5, 0, 0, 1.0));
        var scores = LinkEvaluator.Evaluate(graph, graph, s => s);
        Assert.Equal(1.0, scores.Tra);
        Assert.Equal(1.0, scores.Lnk);
        Assert.Equal(default, scores.Counts);
    }
}
