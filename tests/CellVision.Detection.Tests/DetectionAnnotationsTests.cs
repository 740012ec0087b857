using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Detection;

namespace CellVision.Detection.Tests;

/// <summary>Training annotations from a lineage graph's timepoint, and predicted nuclei into the graph.</summary>
public sealed class DetectionAnnotationsTests
{
    [Fact]
    public void Training_annotations_are_the_tagged_spots_of_the_timepoint_in_graph_order()
    {
        var graph = new LineageGraph();
        var covariance = new Covariance3(4, 0.5, 0.25, 9, -0.5, 2.25);
        var tags = Enum.GetValues<DetectionTag>();
        foreach (var tag in tags)
        {
            var spot = graph.AddSpot(3, 10 + (int)tag, 20, 5, covariance);
            spot.DetectionTag = tag;
        }

        graph.AddSpot(4, 1, 1, 1, 2).DetectionTag = DetectionTag.TruePositive;    // another timepoint

        var annotations = graph.TrainingAnnotations(3);

        Assert.Equal(tags.Where(t => t != DetectionTag.Unlabeled), annotations.Select(a => a.Tag));
        Assert.All(annotations, a => Assert.Equal(new double[] { 4, 0.5, 0.25, 0.5, 9, -0.5, 0.25, -0.5, 2.25 }, a.Covariance));
        Assert.Equal(annotations.Select(a => 10.0 + (int)a.Tag), annotations.Select(a => a.X));
        Assert.Empty(graph.TrainingAnnotations(7));

        // The labels of the graph's timepoint are those of the same annotations given by hand.
        var voxel = new VoxelSize(1, 1, 2);
        using var fromGraph = LabelGenerator.Generate((6, 30, 30), voxel, annotations);
        using var byHand = LabelGenerator.Generate((6, 30, 30), voxel, tags.Select(t => new AnnotatedSpot(10 + (int)t, 20, 5, covariance.ToRowMajor(), t)));
        Assert.Equal(byHand.Span.ToArray(), fromGraph.Span.ToArray());
    }

    [Fact]
    public void A_detected_spot_becomes_an_unlabelled_spot_with_its_quality()
    {
        var graph = new LineageGraph();
        var detected = new DetectedSpot(1.5, 2.5, 3.5, [4, 1, 0, 1, 9, 0, 0, 0, 1], 0.75);

        var spot = graph.AddDetectedSpot(2, detected);

        Assert.Same(spot, graph.SpotsAt(2).Single());
        Assert.Equal((1.5, 2.5, 3.5), (spot.X, spot.Y, spot.Z));
        Assert.Equal(new Covariance3(4, 1, 0, 9, 0, 1), spot.Covariance);
        Assert.Equal((DetectionTag.Unlabeled, TrackingTag.Unlabeled, 0.75), (spot.DetectionTag, spot.TrackingTag, spot.Quality));
        Assert.Equal(detected.Covariance, spot.ToAnnotatedSpot().Covariance);
    }
}
