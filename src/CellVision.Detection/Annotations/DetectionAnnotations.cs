using CellVision.Core.Annotations;

namespace CellVision.Detection;

/// <summary>
/// Moves spots between the shared annotation model (<see cref="LineageGraph"/>) and detection: training annotations
/// from a timepoint's tagged spots, and graph spots from predicted nuclei.
/// </summary>
public static class DetectionAnnotations
{
    /// <summary>
    /// The training annotations of one timepoint: every spot whose detection tag is not
    /// <see cref="DetectionTag.Unlabeled"/>, in the graph's order at that timepoint (the order in which
    /// <see cref="LabelGenerator"/> paints them, as ELEPHANT's client sends them).
    /// </summary>
    /// <param name="graph">The annotation graph.</param>
    /// <param name="timepoint">The timepoint.</param>
    public static IReadOnlyList<AnnotatedSpot> TrainingAnnotations(this LineageGraph graph, int timepoint)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.SpotsAt(timepoint).Where(s => s.DetectionTag != DetectionTag.Unlabeled).Select(ToAnnotatedSpot).ToArray();
    }

    /// <summary>The spot as a training annotation: centre, row-major X, Y, Z covariance and detection tag.</summary>
    /// <param name="spot">A graph spot.</param>
    public static AnnotatedSpot ToAnnotatedSpot(this Spot spot)
    {
        ArgumentNullException.ThrowIfNull(spot);
        return new AnnotatedSpot(spot.X, spot.Y, spot.Z, spot.Covariance.ToRowMajor(), spot.DetectionTag);
    }

    /// <summary>The covariance of a predicted nucleus (its row-major matrix is symmetric; the upper triangle is read).</summary>
    /// <param name="spot">A predicted nucleus.</param>
    public static Covariance3 CovarianceOf(DetectedSpot spot)
    {
        ArgumentNullException.ThrowIfNull(spot);
        return Covariance3.FromRowMajor(spot.Covariance);
    }

    /// <summary>
    /// Adds a predicted nucleus to the graph as ELEPHANT's client does: detection tag and tracking tag
    /// <see cref="DetectionTag.Unlabeled"/> / <see cref="TrackingTag.Unlabeled"/>, quality = the mean centre probability.
    /// </summary>
    /// <param name="graph">The annotation graph.</param>
    /// <param name="timepoint">The nucleus's timepoint.</param>
    /// <param name="spot">The predicted nucleus.</param>
    /// <returns>The new spot.</returns>
    public static Spot AddDetectedSpot(this LineageGraph graph, int timepoint, DetectedSpot spot)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var added = graph.AddSpot(timepoint, spot.X, spot.Y, spot.Z, CovarianceOf(spot));
        added.DetectionTag = DetectionTag.Unlabeled;
        added.TrackingTag = TrackingTag.Unlabeled;
        added.Quality = spot.Quality;
        return added;
    }
}
