using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;

namespace CellVision.Detection.Tests;

/// <summary>The simulated proofreader's choices: which spots it tags, what it adds, what it approves.</summary>
public sealed class ProofreadingSimulatorTests
{
    private static readonly VoxelSize Voxel = new(0.5, 0.5, 1.0);

    /// <summary>A 20 × 60 × 60 mask with ellipsoids 1 (centre 15, 15, 10 voxels), 2 (45, 15, 10) and 3 (15, 45, 10).</summary>
    private static Volume<ushort> Mask()
    {
        var mask = new Volume<ushort>(20, 60, 60, Voxel);
        Paint(mask, 1, 10, 15, 15, (4, 8, 6));
        Paint(mask, 2, 10, 15, 45, (3, 6, 6));
        Paint(mask, 3, 10, 45, 15, (5, 9, 7));
        return mask;
    }

    private static void Paint(Volume<ushort> mask, ushort label, int cz, int cy, int cx, (double Z, double Y, double X) radii)
    {
        for (var z = 0; z < mask.Depth; z++)
        {
            for (var y = 0; y < mask.Height; y++)
            {
                for (var x = 0; x < mask.Width; x++)
                {
                    var (dz, dy, dx) = ((z - cz) / radii.Z, (y - cy) / radii.Y, (x - cx) / radii.X);
                    if ((dz * dz) + (dy * dy) + (dx * dx) <= 1)
                    {
                        mask[z, y, x] = label;
                    }
                }
            }
        }
    }

    private static Spot Predicted(LineageGraph graph, double xVoxel, double yVoxel, double zVoxel, double quality)
    {
        var spot = graph.AddSpot(0, xVoxel * Voxel.X, yVoxel * Voxel.Y, zVoxel * Voxel.Z, 1.0);
        spot.Quality = quality;
        return spot;
    }

    [Fact]
    public void A_moment_ellipsoid_has_the_painted_semi_axes()
    {
        using var mask = Mask();
        var nucleus = TruthNuclei.FromMask(mask).Single(n => n.Label == 3);

        Assert.Equal((15 * Voxel.X, 45 * Voxel.Y, 10 * Voxel.Z), (nucleus.X, nucleus.Y, nucleus.Z));
        Assert.False(nucleus.TouchesFace);
        // A solid ellipsoid's second moments are a²/5: the covariance holds the squared semi-axes (µm), up to voxelisation.
        Assert.Equal(Math.Pow(7 * Voxel.X, 2), nucleus.Covariance.XX, 0.15 * Math.Pow(7 * Voxel.X, 2));
        Assert.Equal(Math.Pow(9 * Voxel.Y, 2), nucleus.Covariance.YY, 0.15 * Math.Pow(9 * Voxel.Y, 2));
        Assert.Equal(Math.Pow(5 * Voxel.Z, 2), nucleus.Covariance.ZZ, 0.15 * Math.Pow(5 * Voxel.Z, 2));
        Assert.Equal(0, nucleus.Covariance.XY, 1e-9);
    }

    [Fact]
    public void A_confident_false_positive_is_tagged_a_missed_nucleus_added_from_its_mask_and_a_correct_detection_approved()
    {
        using var mask = Mask();
        var graph = new LineageGraph();
        var background = Predicted(graph, 30, 30, 10, quality: 0.9);
        var correct = Predicted(graph, 15, 15, 10, quality: 0.6);
        var annotated = Predicted(graph, 45, 15, 10, quality: 1);
        annotated.DetectionTag = DetectionTag.TruePositive;

        var result = new ProofreadingSimulator().Correct(graph, 0, mask);

        Assert.Equal(DetectionTag.FalsePositive, background.DetectionTag);
        Assert.Equal(DetectionTag.TruePositive, correct.DetectionTag);
        var added = Assert.Single(graph.SpotsAt(0), s => s.DetectionTag == DetectionTag.FalseNegative);
        var truth = TruthNuclei.FromMask(mask).Single(n => n.Label == 3);
        Assert.Equal((truth.X, truth.Y, truth.Z, truth.Covariance), (added.X, added.Y, added.Z, added.Covariance));
        Assert.Equal(new ProofreadingCorrections(1, 1, 1, 0, 0), result);
    }

    [Fact]
    public void A_second_detection_of_an_annotated_nucleus_is_a_false_positive()
    {
        using var mask = Mask();
        var graph = new LineageGraph();
        Predicted(graph, 15, 15, 10, quality: 1).DetectionTag = DetectionTag.FalseNegative;
        var duplicate = Predicted(graph, 17, 15, 10, quality: 0.8);

        new ProofreadingSimulator(new ProofreadingOptions { ApprovalsPerRound = 0 }).Correct(graph, 0, mask);

        Assert.Equal(DetectionTag.FalsePositive, duplicate.DetectionTag);
    }

    [Fact]
    public void The_budget_takes_false_positives_and_missed_nuclei_in_turn_most_confident_and_largest_first()
    {
        using var mask = Mask();
        var graph = new LineageGraph();
        var qualities = new[] { 0.55, 0.95, 0.7, 0.8 };
        var falsePositives = qualities.Select((q, i) => Predicted(graph, 30, 5 + (10 * i), 2, q)).ToArray();

        var result = new ProofreadingSimulator(new ProofreadingOptions { CorrectionsPerRound = 4 }).Correct(graph, 0, mask);

        // Two false positives (0.95 and 0.8), then the two largest of the three missed nuclei (3 and 1).
        Assert.Equal([false, true, false, true], falsePositives.Select(s => s.DetectionTag == DetectionTag.FalsePositive));
        var added = graph.SpotsAt(0).Where(s => s.DetectionTag == DetectionTag.FalseNegative).Select(s => NucleusMatching.LabelAt(mask, s.X, s.Y, s.Z)).Order();
        Assert.Equal([1, 3], added);
        Assert.Equal(new ProofreadingCorrections(2, 2, 0, 2, 1), result);
    }

    [Fact]
    public void Slivers_below_the_visible_size_are_not_added()
    {
        using var mask = Mask();
        var smallest = TruthNuclei.FromMask(mask).Min(n => n.Voxels);
        var graph = new LineageGraph();

        var result = new ProofreadingSimulator(new ProofreadingOptions { MinimumVisibleVoxels = smallest + 1 }).Correct(graph, 0, mask);

        Assert.Equal(2, result.MissedAdded);
        Assert.DoesNotContain(graph.SpotsAt(0), s => NucleusMatching.LabelAt(mask, s.X, s.Y, s.Z) == 2);
    }

    [Fact]
    public void The_random_orders_repeat_with_the_seed()
    {
        using var mask = Mask();
        string Run(int seed)
        {
            var graph = new LineageGraph();
            foreach (var i in Enumerable.Range(0, 8))
            {
                Predicted(graph, 30, 3 + (7 * i), 2, 0.5 + (0.01 * i));
            }

            var options = new ProofreadingOptions { CorrectionsPerRound = 3, FalsePositiveOrder = ProofreadingOrder.Random, MissedOrder = MissedNucleusOrder.Random, Seed = seed };
            new ProofreadingSimulator(options).Correct(graph, 0, mask);
            return string.Join(',', graph.SpotsAt(0).OrderBy(s => s.Id).Select(s => $"{s.DetectionTag}@{s.Y:F1}"));
        }

        Assert.Equal(Run(7), Run(7));
        Assert.Contains(Enumerable.Range(8, 20), seed => Run(seed) != Run(7));
    }

    [Fact]
    public void Matching_leaves_out_small_instances_and_the_detections_in_them()
    {
        using var mask = Mask();
        var smallest = TruthNuclei.FromMask(mask).Min(n => n.Voxels);
        var graph = new LineageGraph();
        Predicted(graph, 15, 15, 10, 1);   // instance 1
        Predicted(graph, 16, 15, 10, 1);   // instance 1 again: false
        Predicted(graph, 45, 15, 10, 1);   // instance 2, the smallest
        Predicted(graph, 30, 30, 10, 1);   // background: false

        Assert.Equal(new DetectionScore(4, 3, 2), NucleusMatching.Score(graph.SpotsAt(0), mask, 0));
        Assert.Equal(new DetectionScore(3, 2, 1), NucleusMatching.Score(graph.SpotsAt(0), mask, smallest + 1));
        Assert.Equal(0.5, NucleusMatching.Score(graph.SpotsAt(0), mask, 0).Precision);
    }
}
