using System.Text.Json;
using CellVision.IO.Ctc;
using CellVision.Evaluation;
using CellVision.Evaluation.Tests.Ctc;

namespace CellVision.Evaluation.Tests.Evaluation;

/// <summary>
/// TRA, DET, LNK, SEG and the AOGM counts equal those of the official py-ctcmetrics on perturbed copies of the first
/// 20 frames of Fluo-N2DH-SIM+ 01 (Golden/Ctc/make_ctc_golden.py).
/// </summary>
public sealed class CtcGoldenTests(CtcGoldenFixture fixture) : IClassFixture<CtcGoldenFixture>
{
    private const double Tolerance = 1e-9;

    public static TheoryData<string> ValidCases => CaseNames(valid: true);

    public static TheoryData<string> InvalidCases => CaseNames(valid: false);

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Measures_equal_the_official_tool(string name)
    {
        var golden = fixture.Cases[name];
        var result = fixture.WriteResult(golden);

        var evaluation = CtcEvaluator.Evaluate(fixture.GroundTruth, result);

        var scores = evaluation.Scores;
        var expected = golden.Expected;
        Assert.Equal(expected["TRA"], scores.Tra!.Value, Tolerance);
        Assert.Equal(expected["DET"], scores.Det!.Value, Tolerance);
        Assert.Equal(expected["LNK"], scores.Lnk!.Value, Tolerance);
        Assert.Equal(expected["SEG"], scores.Seg!.Value, Tolerance);
        Assert.Equal(expected["OP_CTB"], scores.OpCtb!.Value, Tolerance);
        Assert.Equal(expected["OP_CSB"], scores.OpCsb!.Value, Tolerance);
        Assert.Equal(expected["AOGM"], scores.Aogm, Tolerance);
        Assert.Equal(expected["AOGM_0"], scores.AogmEmpty, Tolerance);
        Assert.Equal(
            ((int)expected["AOGM_NS"], (int)expected["AOGM_FN"], (int)expected["AOGM_FP"], (int)expected["AOGM_ED"], (int)expected["AOGM_EA"], (int)expected["AOGM_EC"]),
            (scores.Counts.Splits, scores.Counts.FalseNegatives, scores.Counts.FalsePositives, scores.Counts.RedundantEdges, scores.Counts.MissingEdges, scores.Counts.WrongTypeEdges));

        var errors = evaluation.Errors;
        Assert.Equal(scores.Counts.FalseNegatives, errors.FalseNegatives.Count);
        Assert.Equal(scores.Counts.FalsePositives, errors.FalsePositives.Count);
        Assert.Equal(scores.Counts.Splits, errors.Splits.Sum(s => s.Operations));
        Assert.Equal(scores.Counts.RedundantEdges, errors.RedundantEdges.Count);
        Assert.Equal(scores.Counts.MissingEdges, errors.MissingEdges.Count);
        Assert.Equal(scores.Counts.WrongTypeEdges, errors.WrongTypeEdges.Count);
        Assert.Equal(scores.SegmentationObjects, errors.SegmentationObjects.Count);
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Inconsistent_results_are_rejected_as_the_official_tool_does(string name)
    {
        var result = fixture.WriteResult(fixture.Cases[name]);

        var error = Assert.Throws<CtcConsistencyException>(() => CtcEvaluator.Evaluate(fixture.GroundTruth, result));

        Assert.Contains(error.Issues, issue => issue.Kind == IO.Ctc.CtcIssueKind.MissingFromFrame);
        Assert.Contains("absent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_split_case_lists_each_split_as_a_wrong_type_edge()
    {
        var golden = fixture.Cases["split"];
        var evaluation = CtcEvaluator.Evaluate(fixture.GroundTruth, fixture.WriteResult(golden));

        // Each split relabels a track from some frame on with a new label whose parent is the old one: the result's
        // parent link (old label -> new label) stands where the reference has a track link.
        var renamed = golden.Ops.Where(o => o.Kind == "relabel").Select(o => (o.Label, o.To)).Distinct().ToArray();
        Assert.Equal(renamed.Length, evaluation.Errors.WrongTypeEdges.Count);
        Assert.All(evaluation.Errors.WrongTypeEdges, edge =>
        {
            Assert.Equal(CtcEdgeKind.ParentLink, edge.Kind);
            Assert.Equal(edge.Source.Frame + 1, edge.Target.Frame);
            Assert.Contains((edge.Source.Label, edge.Target.Label), renamed);
        });
    }

    [Fact]
    public void Dropped_cells_are_listed_with_their_frame()
    {
        var golden = fixture.Cases["dropped"];
        var evaluation = CtcEvaluator.Evaluate(fixture.GroundTruth, fixture.WriteResult(golden));

        var erased = golden.Ops.Where(o => o.Kind == "erase").Select(o => o.Frame).Order();
        Assert.Equal(erased, evaluation.Errors.FalseNegatives.Select(v => v.Frame).Order());
    }

    [Fact]
    public void Detection_only_needs_no_track_files()
    {
        var golden = fixture.Cases["combined"];
        var result = fixture.WriteResult(golden);
        var copy = Path.Combine(fixture.Folder, "combined-masks-only");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(result, "mask*.tif"))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)), overwrite: true);
        }

        var evaluation = CtcEvaluator.Evaluate(fixture.GroundTruth, copy, new CtcEvaluationOptions { Tracking = false, Segmentation = false });

        Assert.Equal(golden.Expected["DET"], evaluation.Scores.Det!.Value, Tolerance);
        Assert.Null(evaluation.Scores.Tra);
        Assert.Null(evaluation.Scores.Seg);
    }

    [Fact]
    public void Progress_covers_every_frame_and_cancellation_stops()
    {
        var result = fixture.WriteResult(fixture.Cases["identity"]);
        var reports = new List<CtcProgress>();
        var progress = new SynchronousProgress<CtcProgress>(reports);

        CtcEvaluator.Evaluate(fixture.GroundTruth, result, new CtcEvaluationOptions { MaxDegreeOfParallelism = 1 }, progress);

        Assert.Contains(new CtcProgress("matching frames", fixture.Frames, fixture.Frames), reports);
        Assert.Contains(reports, r => r.Stage == "segmentation" && r.Done == r.Total);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => CtcEvaluator.Evaluate(fixture.GroundTruth, result, cancellationToken: cancelled.Token));
    }

    private static TheoryData<string> CaseNames(bool valid)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "Ctc", "ctc_golden.json")));
        var data = new TheoryData<string>();
        foreach (var element in document.RootElement.GetProperty("cases").EnumerateArray().Where(c => c.GetProperty("valid").GetBoolean() == valid))
        {
            data.Add(element.GetProperty("name").GetString()!);
        }

        return data;
    }
}
