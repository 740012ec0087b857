using CellVision.Core.Spatial;
using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Detection;

namespace CellVision.Detection.Tests;

/// <summary>ELEPHANT's merge of predicted nuclei into the annotations (§4.4): re-labelling, removal, suppression, refits.</summary>
public sealed class SpotSuppressorTests
{
    private const int T = 4;

    [Fact]
    public void Found_spots_lose_their_status_and_regain_it_only_when_predicted_again()
    {
        var graph = new LineageGraph();
        var tags = Enum.GetValues<DetectionTag>().Where(t => t != DetectionTag.Unlabeled).ToArray();
        var far = tags.Select((tag, i) => Tagged(graph, 100 + (20 * i), 0, tag)).ToArray();
        var near = tags.Select((tag, i) => Tagged(graph, 100 + (20 * i), 50, tag)).ToArray();

        var result = SpotSuppressor.Apply(graph, T, near.Select(s => Nucleus(s.X + 1, s.Y, s.Z + 1)));

        // Not predicted: tp → fn, fp → tn, fb → tb; others unchanged.
        Assert.Equal(
            [DetectionTag.FalseNegative, DetectionTag.TrueNegative, DetectionTag.TrueNegative, DetectionTag.FalseNegative, DetectionTag.TrueBorder, DetectionTag.TrueBorder],
            far.Select(s => s.DetectionTag));

        // Predicted within the suppression distance: fn → tp, tn → fp, tb → fb, after the re-labelling above.
        Assert.Equal(
            [DetectionTag.TruePositive, DetectionTag.FalsePositive, DetectionTag.FalsePositive, DetectionTag.TruePositive, DetectionTag.FalseBorder, DetectionTag.FalseBorder],
            near.Select(s => s.DetectionTag));
        Assert.Equal(12, graph.SpotsAt(T).Count);                            // every prediction was suppressed
        Assert.Equal(new SuppressionResult(Relabelled: 6, Removed: 0, Confirmed: 6, Suppressed: 6, Refitted: 0, Added: 0), result);
    }

    [Fact]
    public void The_previous_prediction_is_removed_but_approved_and_other_timepoints_stay()
    {
        var graph = new LineageGraph();
        var stale = Tagged(graph, 10, 10, DetectionTag.Unlabeled);
        var approved = Tagged(graph, 40, 10, DetectionTag.Unlabeled);
        approved.TrackingTag = TrackingTag.Approved;
        var earlier = graph.AddSpot(T - 1, 10, 10, 5, 2);
        graph.AddLink(earlier, stale);
        var otherTime = graph.AddSpot(T + 1, 10, 10, 5, 2);

        var result = SpotSuppressor.Apply(graph, T, []);

        Assert.False(graph.Contains(stale));
        Assert.Empty(earlier.Outgoing);                                      // removed with its links
        Assert.True(graph.Contains(approved));
        Assert.True(graph.Contains(otherTime));
        Assert.Equal(1, result.Removed);
    }

    [Fact]
    public void A_nucleus_is_added_unless_a_spot_lies_strictly_closer_than_the_suppression_distance()
    {
        var graph = new LineageGraph();
        var existing = Tagged(graph, 10, 10, DetectionTag.TruePositive);

        var result = SpotSuppressor.Apply(graph, T, [Nucleus(13, 10, 5, quality: 0.7), Nucleus(10, 12.99, 5)]);

        Assert.Equal(2, graph.SpotsAt(T).Count);                             // 3.0 away: added; 2.99 away: suppressed
        var added = graph.SpotsAt(T).Single(s => s != existing);
        Assert.Equal((13.0, DetectionTag.Unlabeled, TrackingTag.Unlabeled, 0.7), (added.X, added.DetectionTag, added.TrackingTag, added.Quality));
        Assert.Equal(DetectionTag.TruePositive, existing.DetectionTag);
        Assert.Equal((1, 1), (result.Added, result.Suppressed));

        // A distance of 0 adds everything; later predictions see the spots added before them.
        var all = new LineageGraph();
        SpotSuppressor.Apply(all, T, [Nucleus(1, 1, 1), Nucleus(1, 1, 1)], new SuppressionOptions { SuppressionDistance = 0 });
        Assert.Equal(2, all.SpotsAt(T).Count);
        var merged = new LineageGraph();
        SpotSuppressor.Apply(merged, T, [Nucleus(1, 1, 1), Nucleus(2, 1, 1), Nucleus(6, 1, 1)]);
        Assert.Equal([1.0, 6.0], merged.SpotsAt(T).Select(s => s.X));
    }

    [Fact]
    public void Of_two_close_predictions_the_larger_ellipsoid_is_kept()
    {
        var graph = new LineageGraph();
        var result = SpotSuppressor.Apply(graph, T, [Nucleus(10, 10, 5, radius: 2, quality: 0.6), Nucleus(11, 10, 5, radius: 3, quality: 0.9), Nucleus(10, 11, 5, radius: 2.5)]);

        var spot = graph.SpotsAt(T).Single();
        Assert.Equal((11.0, 10.0, 5.0), (spot.X, spot.Y, spot.Z));             // refitted to the larger second one
        Assert.Equal(Covariance3.Sphere(3), spot.Covariance);
        Assert.Equal(0.9, spot.Quality);
        Assert.Equal(new SuppressionResult(0, 0, 0, Suppressed: 1, Refitted: 1, Added: 1), result);
    }

    [Fact]
    public void Refitting_keeps_the_spot_its_links_and_tags()
    {
        // An unlabelled prediction outside the crop box survives the removal and is refitted from inside it.
        var graph = new LineageGraph();
        var outside = Tagged(graph, 9, 10, DetectionTag.Unlabeled);
        outside.Tags["Division"] = "dividing";
        outside.Label = "a";
        var parent = graph.AddSpot(T - 1, 9, 10, 5, 2);
        var child = graph.AddSpot(T + 1, 9, 10, 5, 2);
        graph.AddLink(parent, outside, TrackingTag.Approved);
        graph.AddLink(outside, child);
        var box = PhysicalBox.FromVoxels(Box.FromZyx(0, 0, 10, 20, 20, 20), new VoxelSize(1, 1, 1));   // x ∈ [10, 30)

        SpotSuppressor.Apply(graph, T, [Nucleus(11, 10, 5, radius: 3, quality: 0.8)], new SuppressionOptions { CropBox = box });

        var spot = graph.SpotsAt(T).Single();
        Assert.Same(outside, spot);
        Assert.Equal((11.0, Covariance3.Sphere(3), 0.8), (spot.X, spot.Covariance, spot.Quality));
        Assert.Equal((DetectionTag.Unlabeled, "dividing", "a"), (spot.DetectionTag, spot.Tags["Division"], spot.Label));
        Assert.Same(parent, spot.Incoming.Single().Source);
        Assert.Same(child, spot.Outgoing.Single().Target);
    }

    [Fact]
    public void An_approved_unlabelled_spot_is_refitted_only_when_asked()
    {
        foreach (var refit in new[] { false, true })
        {
            var graph = new LineageGraph();
            var approved = Tagged(graph, 10, 10, DetectionTag.Unlabeled);
            approved.TrackingTag = TrackingTag.Approved;
            var child = graph.AddSpot(T + 1, 10, 10, 5, 2);
            graph.AddLink(approved, child, TrackingTag.Approved);

            SpotSuppressor.Apply(graph, T, [Nucleus(11, 10, 5, radius: 4), Nucleus(10, 9, 5, radius: 1)], new SuppressionOptions { RefitApprovedSpots = refit });

            Assert.Same(approved, graph.SpotsAt(T).Single());
            Assert.Equal(refit ? (11.0, Covariance3.Sphere(4)) : (10.0, Covariance3.Sphere(2)), (approved.X, approved.Covariance));
            Assert.Equal(TrackingTag.Approved, approved.TrackingTag);
            Assert.Same(child, approved.Outgoing.Single().Target);
        }
    }

    [Fact]
    public void The_crop_box_limits_relabelling_and_removal_to_the_predicted_region()
    {
        var graph = new LineageGraph();
        var voxel = new VoxelSize(0.5, 0.5, 2);
        var box = PhysicalBox.FromVoxels(Box.FromZyx(1, 0, 0, 4, 20, 20), voxel);    // x, y ∈ [0, 10), z ∈ [2, 10)
        Assert.Equal(new PhysicalBox(new Point3(0, 0, 2), new Point3(10, 10, 8)), box);
        var inside = Tagged(graph, 5, 5, DetectionTag.TruePositive);
        var outside = Tagged(graph, 10, 5, DetectionTag.TruePositive);               // x = 10 is outside (upper face excluded)
        var staleInside = Tagged(graph, 2, 8, DetectionTag.Unlabeled);
        var staleOutside = Tagged(graph, 30, 8, DetectionTag.Unlabeled);

        SpotSuppressor.Apply(graph, T, [], new SuppressionOptions { CropBox = box });

        Assert.Equal((DetectionTag.FalseNegative, DetectionTag.TruePositive), (inside.DetectionTag, outside.DetectionTag));
        Assert.False(graph.Contains(staleInside));
        Assert.True(graph.Contains(staleOutside));
    }

    [Fact]
    public void Prediction_covers_the_time_range_up_to_the_current_timepoint()
    {
        Assert.Equal([0, 1, 2, 3], SpotSuppressor.Timepoints(3));
        Assert.Equal(Enumerable.Range(6, 10), SpotSuppressor.Timepoints(15));
        Assert.Equal([15], SpotSuppressor.Timepoints(15, SuppressionOptions.Live));

        var graph = new LineageGraph();
        var asked = new List<int>();
        var results = SpotSuppressor.Update(graph, 2, t =>
        {
            asked.Add(t);
            return [Nucleus(t, 0, 0)];
        });
        Assert.Equal([0, 1, 2], asked);
        Assert.All(results, r => Assert.Equal(1, r.Added));
        Assert.Equal([0, 1, 2], graph.Timepoints);
        Assert.Throws<ArgumentOutOfRangeException>(() => SpotSuppressor.Timepoints(3, new SuppressionOptions { TimeRange = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpotSuppressor.Apply(graph, 0, [], new SuppressionOptions { SuppressionDistance = -1 }));
    }

    private static Spot Tagged(LineageGraph graph, double x, double y, DetectionTag tag)
    {
        var spot = graph.AddSpot(T, x, y, 5, 2);
        spot.DetectionTag = tag;
        return spot;
    }

    private static DetectedSpot Nucleus(double x, double y, double z, double radius = 2, double quality = 0.5) =>
        new(x, y, z, Covariance3.Sphere(radius).ToRowMajor(), quality);
}
