using CellVision.Core.Annotations;
using CellVision.IO.TrackMate;

namespace CellVision.IO.Lineage;

/// <summary>Converts between a <see cref="LineageGraph"/> and a TrackMate/Mastodon model (spots with covariance, links, tracks).</summary>
public static class TrackMateLineage
{
    /// <summary>
    /// Spot feature holding ELEPHANT's detection tag as its <see cref="DetectionTag"/> number (0 unlabelled, 1 tp,
    /// 2 fp, 3 tn, 4 fn, 5 tb, 6 fb); written when any spot of the graph is tagged, so corrections travel in TrackMate XML.
    /// </summary>
    public const string DetectionTagFeature = "DETECTION_TAG";

    /// <summary>Spot feature holding the tracking tag (0 unlabelled, 1 approved), written with <see cref="DetectionTagFeature"/>.</summary>
    public const string TrackingTagFeature = "TRACKING_TAG";

    /// <summary>
    /// The TrackMate model of a graph: spot ids are the graph's, radii the equivalent-sphere radii, and the covariance
    /// is kept as features, as are the tags (<see cref="DetectionTagFeature"/>) when any spot is tagged.
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="imageData">The image the tracks belong to.</param>
    public static TrackMateModel ToModel(LineageGraph graph, TrackMateImageData imageData)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var tagged = graph.Spots.Any(s => s.DetectionTag != DetectionTag.Unlabeled || s.TrackingTag != TrackingTag.Unlabeled);
        var spots = graph.Spots.OrderBy(s => s.Id).Select(s =>
        {
            var c = s.Covariance;
            var features = new Dictionary<string, double>
            {
                ["COVARIANCE_XX"] = c.XX, ["COVARIANCE_XY"] = c.XY, ["COVARIANCE_XZ"] = c.XZ,
                ["COVARIANCE_YY"] = c.YY, ["COVARIANCE_YZ"] = c.YZ, ["COVARIANCE_ZZ"] = c.ZZ,
            };
            if (tagged)
            {
                features[DetectionTagFeature] = (int)s.DetectionTag;
                features[TrackingTagFeature] = (int)s.TrackingTag;
            }

            return new TrackMateSpot(s.Id, s.Timepoint, s.X, s.Y, s.Z, s.Covariance.EquivalentRadius, s.Quality, Features: features);
        }).ToList();
        var links = graph.Links.Select(l => new TrackMateEdge(l.Source.Id, l.Target.Id, l.SquaredLength));
        return TrackMateModel.FromLinks(spots, links, imageData);
    }

    /// <summary>
    /// A graph from a TrackMate model: covariance features when present, else a sphere of the spot's radius; tags from
    /// <see cref="DetectionTagFeature"/> and <see cref="TrackingTagFeature"/> when present; links oriented forward in time.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <exception cref="InvalidDataException">A link joins two spots of the same frame or names an unknown spot, or a tag feature holds no tag.</exception>
    public static LineageGraph FromModel(TrackMateModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new LineageGraph();
        var byId = new Dictionary<int, Spot>();
        foreach (var s in model.Spots)
        {
            var f = s.Features;
            var covariance = f is not null && f.TryGetValue("COVARIANCE_XX", out var xx)
                ? new Covariance3(xx, f["COVARIANCE_XY"], f["COVARIANCE_XZ"], f["COVARIANCE_YY"], f["COVARIANCE_YZ"], f["COVARIANCE_ZZ"])
                : Covariance3.Sphere(s.Radius);
            var spot = graph.AddSpot(s.Frame, s.X, s.Y, s.Z, covariance);
            spot.Quality = s.Quality;
            spot.Label = s.Name;
            if (f is not null && f.TryGetValue(DetectionTagFeature, out var detection))
            {
                spot.DetectionTag = Enum.IsDefined((DetectionTag)(int)detection) && detection == Math.Floor(detection)
                    ? (DetectionTag)(int)detection
                    : throw new InvalidDataException($"Spot {s.Id} has {DetectionTagFeature} {detection}, which is not a detection tag (0–6).");
            }

            if (f is not null && f.TryGetValue(TrackingTagFeature, out var tracking))
            {
                spot.TrackingTag = tracking is 0 or 1 ? (TrackingTag)(int)tracking
                    : throw new InvalidDataException($"Spot {s.Id} has {TrackingTagFeature} {tracking}, which is not a tracking tag (0 or 1).");
            }

            byId[s.Id] = spot;
        }

        foreach (var edge in model.Tracks.SelectMany(t => t.Edges))
        {
            if (!byId.TryGetValue(edge.Source, out var a) || !byId.TryGetValue(edge.Target, out var b))
            {
                throw new InvalidDataException($"A link joins unknown spots {edge.Source} and {edge.Target}.");
            }

            if (a.Timepoint == b.Timepoint)
            {
                throw new InvalidDataException($"A link joins spots {edge.Source} and {edge.Target} of the same frame {a.Timepoint}.");
            }

            var (early, late) = a.Timepoint < b.Timepoint ? (a, b) : (b, a);
            if (graph.FindLink(early, late) is null)
            {
                graph.AddLink(early, late);
            }
        }

        return graph;
    }
}
