using CellVision.IO.Ctc;
using CellVision.Evaluation;
using CellVision.Evaluation.Tests.Ctc;

namespace CellVision.Evaluation.Tests.Evaluation;

/// <summary>Small hand-built cases: SEG in 2-D and on single planes of 3-D results, 3-D tracking, sample types, and bad input.</summary>
public sealed class CtcEvaluatorTests
{
    private static readonly CtcEvaluationOptions SegOnly = new() { Tracking = false, Detection = false };

    [Fact]
    public void Seg_is_the_mean_jaccard_over_reference_objects_with_a_strict_half_rule()
    {
        using var temp = new TemporaryFolder();
        var seg = temp.Sub("01_GT", "SEG");
        var res = temp.Sub("01_RES");
        // Object 1: 4 pixels, result 7 covers it and 2 more (J = 4/6). Object 2: 6 pixels, result 8 covers exactly
        // half (no match, J = 0). Object 3: 2 pixels, result 9 covers it and 1 more (J = 2/3).
        CtcLabelFiles.Write<ushort>(seg, "man_seg", 0,
        [
            [1, 1, 0, 2, 2, 2],
            [1, 1, 0, 2, 2, 2],
            [0, 0, 0, 0, 0, 0],
            [3, 3, 0, 0, 0, 0],
        ]);
        CtcLabelFiles.Write<ushort>(res, "mask", 0,
        [
            [7, 7, 7, 8, 8, 8],
            [7, 7, 7, 0, 0, 0],
            [0, 0, 0, 0, 0, 0],
            [9, 9, 9, 0, 0, 0],
        ]);

        var evaluation = CtcEvaluator.Evaluate(System.IO.Path.Combine(temp.Path, "01_GT"), res, SegOnly);

        Assert.Equal(((4.0 / 6) + 0 + (2.0 / 3)) / 3, evaluation.Scores.Seg!.Value, 1e-12);
        Assert.Equal(3, evaluation.Scores.SegmentationObjects);
        Assert.Null(evaluation.Scores.Tra);
        Assert.Null(evaluation.Scores.OpCtb);
        Assert.Equal(
            [new CtcSegmentationObject(0, null, 1, 7, 4.0 / 6), new CtcSegmentationObject(0, null, 2, 0, 0), new CtcSegmentationObject(0, null, 3, 9, 2.0 / 3)],
            evaluation.Errors.SegmentationObjects);
    }

    [Fact]
    public void Seg_compares_single_plane_ground_truth_with_that_plane_of_a_3d_result()
    {
        using var temp = new TemporaryFolder();
        var seg = temp.Sub("01_GT", "SEG");
        var res = temp.Sub("01_RES");
        // Frame 4 of a 3-D result, planes 0..2; the ground truth annotates planes 1 and 2 (man_seg_004_001/002).
        CtcLabelFiles.Write<ushort>(res, "mask", 4,
        [
            [[5, 5, 5, 5], [5, 5, 5, 5], [0, 0, 0, 0]],
            [[5, 5, 0, 0], [5, 5, 0, 0], [0, 0, 6, 6]],
            [[0, 0, 0, 0], [0, 6, 6, 0], [0, 6, 6, 0]],
        ]);
        CtcLabelFiles.WriteNamed<ushort>(seg, "man_seg_004_001.tif",
        [
            [1, 1, 1, 0],
            [1, 1, 0, 0],
            [0, 0, 2, 0],
        ]);
        CtcLabelFiles.WriteNamed<ushort>(seg, "man_seg_004_002.tif",
        [
            [0, 0, 0, 0],
            [0, 1, 1, 0],
            [0, 0, 0, 0],
        ]);

        var evaluation = CtcEvaluator.Evaluate(System.IO.Path.Combine(temp.Path, "01_GT"), res, SegOnly);

        // Plane 1: object 1 (5 px) vs 5 (4 px, 4 shared) -> 4/5; object 2 (1 px) vs 6 (2 px) -> 1/2.
        // Plane 2: object 1 (2 px) vs 6 (4 px) -> 2/4. Plane 0 is never compared.
        Assert.Equal(((4.0 / 5) + (1.0 / 2) + (2.0 / 4)) / 3, evaluation.Scores.Seg!.Value, 1e-12);
        Assert.Equal([1, 1, 2], evaluation.Errors.SegmentationObjects.Select(o => o.Slice!.Value));
        Assert.All(evaluation.Errors.SegmentationObjects, o => Assert.Equal(4, o.Frame));
    }

    [Fact]
    public void A_slice_beyond_the_result_depth_is_an_error()
    {
        using var temp = new TemporaryFolder();
        var seg = temp.Sub("01_GT", "SEG");
        var res = temp.Sub("01_RES");
        CtcLabelFiles.Write<ushort>(res, "mask", 0, [[[1, 1]], [[1, 1]]]);
        CtcLabelFiles.WriteNamed<ushort>(seg, "man_seg_000_002.tif", [[1, 1]]);

        var error = Assert.Throws<CtcFormatException>(() => CtcEvaluator.Evaluate(System.IO.Path.Combine(temp.Path, "01_GT"), res, SegOnly));

        Assert.Contains("plane 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tracking_in_3d_with_8_bit_results_and_a_missing_daughter()
    {
        using var temp = new TemporaryFolder();
        var tra = temp.Sub("01_GT", "TRA");
        var res = temp.Sub("01_RES");
        // Two planes of 3x4. GT: track 1 in frames 0-1 divides into 2 and 3 at frame 2.
        ushort[][][] mother = [[[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0]], [[1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]];
        ushort[][][] daughters = [[[2, 2, 0, 0], [0, 0, 0, 3], [0, 0, 3, 3]], [[2, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 3]]];
        CtcLabelFiles.Write(tra, "man_track", 0, mother);
        CtcLabelFiles.Write(tra, "man_track", 1, mother);
        CtcLabelFiles.Write(tra, "man_track", 2, daughters);
        CtcTrackFile.Write(System.IO.Path.Combine(tra, "man_track.txt"), [new(1, 0, 1, 0), new(2, 2, 2, 1), new(3, 2, 2, 1)]);
        // Result (uint8, other labels): the same mother, but only daughter 2 is found (as label 9).
        byte[][][] resMother = [[[4, 4, 0, 0], [4, 4, 0, 0], [0, 0, 0, 0]], [[4, 4, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]];
        byte[][][] resDaughter = [[[9, 9, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], [[9, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]];
        CtcLabelFiles.Write(res, "mask", 0, resMother);
        CtcLabelFiles.Write(res, "mask", 1, resMother);
        CtcLabelFiles.Write(res, "mask", 2, resDaughter);
        CtcTrackFile.Write(System.IO.Path.Combine(res, "res_track.txt"), [new(4, 0, 1, 0), new(9, 2, 2, 4)]);

        var evaluation = CtcEvaluator.Evaluate(System.IO.Path.Combine(temp.Path, "01_GT"), res);

        // |V| = 4, |E| = 1 track link + 2 parent links; FN = 1 (daughter 3), EA = 1 (its parent link).
        var scores = evaluation.Scores;
        Assert.Equal(new AogmCounts(0, 1, 0, 0, 1, 0), scores.Counts);
        Assert.Equal((4, 3), (scores.ReferenceVertices, scores.ReferenceEdges));
        Assert.Equal(1 - (11.5 / 44.5), scores.Tra!.Value, 1e-12);
        Assert.Equal(0.75, scores.Det!.Value, 1e-12);
        Assert.Equal(1 - (1.5 / 4.5), scores.Lnk!.Value, 1e-12);
        Assert.Null(scores.Seg);
        Assert.Equal([new CtcVertex(2, 3)], evaluation.Errors.FalseNegatives);
        Assert.Equal([new CtcEdge(new CtcVertex(1, 1), new CtcVertex(2, 3), CtcEdgeKind.ParentLink)], evaluation.Errors.MissingEdges);
    }

    [Fact]
    public void A_result_object_covering_two_reference_objects_costs_a_split_and_their_edges()
    {
        using var temp = new TemporaryFolder();
        var tra = temp.Sub("01_GT", "TRA");
        var res = temp.Sub("01_RES");
        ushort[][] gt = [[1, 1, 0, 2, 2]];
        CtcLabelFiles.Write(tra, "man_track", 0, gt);
        CtcLabelFiles.Write(tra, "man_track", 1, gt);
        CtcTrackFile.Write(System.IO.Path.Combine(tra, "man_track.txt"), [new(1, 0, 1, 0), new(2, 0, 1, 0)]);
        CtcLabelFiles.Write<ushort>(res, "mask", 0, [[5, 5, 0, 6, 6]]);
        CtcLabelFiles.Write<ushort>(res, "mask", 1, [[5, 5, 5, 5, 5]]);
        CtcTrackFile.Write(System.IO.Path.Combine(res, "res_track.txt"), [new(5, 0, 1, 0), new(6, 0, 0, 0)]);

        var evaluation = CtcEvaluator.Evaluate(System.IO.Path.Combine(temp.Path, "01_GT"), res);

        // Frame 1: result 5 matches both reference objects (NS = 1); both reference track links lose their
        // uniquely matched end (EA = 2); the result's 5 -> 5 link is outside the reduced graph (no ED).
        Assert.Equal(new AogmCounts(1, 0, 0, 0, 2, 0), evaluation.Scores.Counts);
        var split = Assert.Single(evaluation.Errors.Splits);
        Assert.Equal(new CtcVertex(1, 5), split.Result);
        Assert.Equal([1, 2], split.ReferenceLabels);
    }

    [Fact]
    public void Detection_reads_32_bit_labels_beyond_16_bits()
    {
        using var temp = new TemporaryFolder();
        var tra = temp.Sub("01_GT", "TRA");
        var res = temp.Sub("01_RES");
        CtcLabelFiles.Write<ushort>(tra, "man_track", 0, [[1, 1, 0, 2, 2]]);
        CtcLabelFiles.Write<uint>(res, "mask", 0, [[100_000, 100_000, 0, 0, 70_000]]);

        var evaluation = CtcEvaluator.Evaluate(System.IO.Path.Combine(temp.Path, "01_GT"), res, new CtcEvaluationOptions { Tracking = false });

        // Reference 2 is half covered: FN; result 70000 matches nothing: FP.
        Assert.Equal(new AogmCounts(0, 1, 1, 0, 0, 0), evaluation.Scores.Counts);
        Assert.Equal(1 - (11.0 / 20), evaluation.Scores.Det!.Value, 1e-12);
        Assert.Equal([new CtcVertex(0, 70_000)], evaluation.Errors.FalsePositives);
    }

    [Fact]
    public void Missing_ground_truth_frames_are_named()
    {
        using var temp = MinimalPair(frames: 3);
        File.Delete(System.IO.Path.Combine(temp.Path, "01_GT", "TRA", "man_track001.tif"));

        var error = Assert.Throws<CtcFormatException>(() => Evaluate(temp));

        Assert.Contains("frame 1 is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_and_extra_result_frames_are_named()
    {
        using (var temp = MinimalPair(frames: 3))
        {
            File.Delete(System.IO.Path.Combine(temp.Path, "01_RES", "mask002.tif"));
            var error = Assert.Throws<CtcFormatException>(() => Evaluate(temp));
            Assert.Contains("mask002.tif", error.Message, StringComparison.Ordinal);
        }

        using (var temp = MinimalPair(frames: 3))
        {
            CtcLabelFiles.Write<ushort>(System.IO.Path.Combine(temp.Path, "01_RES"), "mask", 3, [[0, 0, 0]]);
            var error = Assert.Throws<CtcFormatException>(() => Evaluate(temp));
            Assert.Contains("beyond", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Mismatched_shapes_are_reported()
    {
        using var temp = MinimalPair(frames: 2);
        CtcLabelFiles.Write<ushort>(System.IO.Path.Combine(temp.Path, "01_RES"), "mask", 1, [[1, 1, 0, 0]]);

        var error = Assert.Throws<CtcFormatException>(() => Evaluate(temp));

        Assert.Contains("4×1", error.Message, StringComparison.Ordinal);
        Assert.Contains("3×1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Track_files_that_disagree_with_the_masks_are_rejected()
    {
        using (var temp = MinimalPair(frames: 2))
        {
            // Label 1 is in the masks of frames 0 and 1 but the track file ends it at 0.
            CtcTrackFile.Write(System.IO.Path.Combine(temp.Path, "01_RES", "res_track.txt"), [new(1, 0, 0, 0)]);
            var error = Assert.Throws<CtcConsistencyException>(() => Evaluate(temp));
            Assert.Contains(error.Issues, i => i.Kind == CtcIssueKind.LabelOutsideTrack && i.Frame == 1);
            Assert.EndsWith("01_RES", error.Folder, StringComparison.Ordinal);
        }

        using (var temp = MinimalPair(frames: 2))
        {
            CtcTrackFile.Write(System.IO.Path.Combine(temp.Path, "01_GT", "TRA", "man_track.txt"), [new(1, 0, 1, 7)]);
            var error = Assert.Throws<CtcConsistencyException>(() => Evaluate(temp));
            Assert.Contains(error.Issues, i => i.Kind == CtcIssueKind.UnknownParent);
        }
    }

    [Fact]
    public void A_missing_track_file_or_folder_is_reported()
    {
        using var temp = MinimalPair(frames: 1);
        File.Delete(System.IO.Path.Combine(temp.Path, "01_RES", "res_track.txt"));

        Assert.Throws<FileNotFoundException>(() => Evaluate(temp));
        Assert.Equal(1.0, CtcEvaluator.Evaluate(System.IO.Path.Combine(temp.Path, "01_GT"), System.IO.Path.Combine(temp.Path, "01_RES"), new CtcEvaluationOptions { Tracking = false }).Scores.Det);
        Assert.Throws<DirectoryNotFoundException>(() => CtcEvaluator.Evaluate(System.IO.Path.Combine(temp.Path, "nowhere"), System.IO.Path.Combine(temp.Path, "01_RES")));
    }

    [Fact]
    public void Floating_point_masks_are_rejected()
    {
        using var temp = MinimalPair(frames: 1);
        CtcLabelFiles.Write<float>(System.IO.Path.Combine(temp.Path, "01_RES"), "mask", 0, [[1f, 1f, 0f]]);

        var error = Assert.Throws<CtcFormatException>(() => Evaluate(temp));

        Assert.Contains("integers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tra_folder_can_be_given_directly_and_empty_result_frames_are_allowed()
    {
        using var temp = MinimalPair(frames: 2);
        CtcLabelFiles.Write<ushort>(System.IO.Path.Combine(temp.Path, "01_RES"), "mask", 1, [[0, 0, 0]]);
        CtcTrackFile.Write(System.IO.Path.Combine(temp.Path, "01_RES", "res_track.txt"), [new(1, 0, 0, 0)]);

        var scores = CtcEvaluator.Evaluate(System.IO.Path.Combine(temp.Path, "01_GT", "TRA"), System.IO.Path.Combine(temp.Path, "01_RES")).Scores;

        Assert.Equal(new AogmCounts(0, 1, 0, 0, 1, 0), scores.Counts);
        Assert.Equal(1 - (11.5 / 21.5), scores.Tra!.Value, 1e-12);
    }

    private static CtcEvaluation Evaluate(TemporaryFolder temp) =>
        CtcEvaluator.Evaluate(System.IO.Path.Combine(temp.Path, "01_GT"), System.IO.Path.Combine(temp.Path, "01_RES"));

    /// <summary>A 3×1 GT and identical result: label 1 in every frame.</summary>
    private static TemporaryFolder MinimalPair(int frames)
    {
        var temp = new TemporaryFolder();
        var tra = temp.Sub("01_GT", "TRA");
        var res = temp.Sub("01_RES");
        for (var t = 0; t < frames; t++)
        {
            CtcLabelFiles.Write<ushort>(tra, "man_track", t, [[1, 1, 0]]);
            CtcLabelFiles.Write<ushort>(res, "mask", t, [[1, 1, 0]]);
        }

        CtcTrackFile.Write(System.IO.Path.Combine(tra, "man_track.txt"), [new(1, 0, frames - 1, 0)]);
        CtcTrackFile.Write(System.IO.Path.Combine(res, "res_track.txt"), [new(1, 0, frames - 1, 0)]);
        return temp;
    }
}
