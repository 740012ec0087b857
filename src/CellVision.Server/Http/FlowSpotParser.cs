using System.Text.Json;
using CellVision.Core.Annotations;
using CellVision.Tracking;

namespace CellVision.Server.Http;

/// <summary>
/// The flow spots of the client: label objects <c>{"pos", "covariance", "t", "displacement"}</c> (one per approved link:
/// the target's ellipsoid, the source timepoint, source − target) and query objects <c>{"pos", "covariance", "id"}</c>.
/// </summary>
internal static class FlowSpotParser
{
    /// <summary>The label objects grouped by source timepoint (ascending), in the order received.</summary>
    /// <param name="request">The request.</param>
    public static SortedDictionary<int, List<FlowAnnotation>> LabelsByTimepoint(ElephantJsonRequest request)
    {
        var groups = new SortedDictionary<int, List<FlowAnnotation>>();
        foreach (var element in request.Objects("spots"))
        {
            var t = ElephantJsonRequest.NestedInt(element, "t", "spots");
            var pos = ElephantJsonRequest.NestedDoubles(element, "pos", 3, "spots");
            var displacement = ElephantJsonRequest.NestedDoubles(element, "displacement", 3, "spots");
            if (t < 0)
            {
                throw new ElephantRequestException($"spots[].t should not be negative, not {t}");
            }

            if (!groups.TryGetValue(t, out var list))
            {
                groups[t] = list = [];
            }

            list.Add(new FlowAnnotation(pos[0], pos[1], pos[2], Covariance(element), displacement[0], displacement[1], displacement[2]));
        }

        return groups;
    }

    /// <summary>The query objects of <c>/flow/predict</c> as spots of a scratch graph at <paramref name="timepoint"/>, with their ids.</summary>
    /// <param name="request">The request.</param>
    /// <param name="timepoint">The request's timepoint.</param>
    public static IReadOnlyList<(int Id, Spot Spot)> Queries(ElephantJsonRequest request, int timepoint)
    {
        var graph = new LineageGraph();
        return [.. request.Objects("spots").Select(element =>
        {
            var pos = ElephantJsonRequest.NestedDoubles(element, "pos", 3, "spots");
            return (ElephantJsonRequest.NestedInt(element, "id", "spots"), graph.AddSpot(timepoint, pos[0], pos[1], pos[2], Covariance(element)));
        })];
    }

    /// <summary>The 3×3 covariance of a spot object.</summary>
    /// <param name="element">The spot.</param>
    public static Covariance3 Covariance(JsonElement element)
    {
        try
        {
            return Covariance3.FromRowMajor(ElephantJsonRequest.NestedDoubles(element, "covariance", 9, "spots"));
        }
        catch (ArgumentException exception)
        {
            throw new ElephantRequestException($"spots[].covariance is not a covariance: {exception.Message}", exception);
        }
    }
}
