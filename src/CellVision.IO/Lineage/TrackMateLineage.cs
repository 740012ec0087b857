using CellVision.Core.Annotations;
using CellVision.IO.TrackMate;

namespace CellVision.IO.Lineage;

/// <summary>Converts between a <see cref="LineageGraph"/> and a TrackMate/Mastodon model (spots with covariance, links, tracks).</summary>
public static class TrackMateLineage
{
    /// <summary>The TrackMate model of a graph: spot ids are the graph's, radii the equivalent-sphere radii, and the covariance is kept as features.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="imageData">The image the tracks belong to.</param>
    public static TrackMateModel ToModel(LineageGraph graph, TrackMateImageData imageData)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var spots = graph.Spots.OrderBy(s => s.Id).Select(s =>
        {
            var c = s.Covariance;
            var features = new Dictionary<string, double>
            {
                ["COVARIANCE_XX"] = c.XX, ["COVARIANCE_XY"] = c.XY, ["COVARIANCE_XZ"] = c.XZ,
                ["COVARIANCE_YY"] = c.YY, ["COVARIANCE_YZ"] = c.YZ, ["COVARIANCE_ZZ"] = c.ZZ,
            };
            return new TrackMateSpot(s.Id, s.Timepoint, s.X, s.Y, s.Z, s.Covariance.EquivalentRadius, s.Quality, Features: features);
        }).ToList();
        var links = graph.Links.Select(l => new TrackMateEdge(l.Source.Id, l.Target.Id, l.SquaredLength));
        return TrackMateModel.FromLinks(spots, links, imageData);
    }

    /// <summary>A graph from a TrackMate model: covariance features when present, else a sphere of the spot's radius; links oriented forward in time.</summary>
    /// <param name="model">The model.</param>
    /// <exception cref="InvalidDataException">A link joins two spots of the same frame or names an unknown spot.</exception>
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
