using CellVision.Core.Annotations;
using CellVision.Detection;
using CellVision.IO.Lineage;

namespace CellVision.Server.Http;

/// <summary>The detection label spots of <c>/seg/update</c> and <c>/seg/train</c>: <c>{"t", "pos", "covariance", "tag", ...}</c>.</summary>
internal static class DetectionSpotParser
{
    /// <summary>Groups the request's <c>spots</c> by timepoint (ascending), in the order received within a timepoint.</summary>
    /// <param name="request">The request.</param>
    /// <returns>Timepoint → spots; unlabeled spots are left out.</returns>
    public static SortedDictionary<int, List<AnnotatedSpot>> ByTimepoint(ElephantJsonRequest request)
    {
        var groups = new SortedDictionary<int, List<AnnotatedSpot>>();
        foreach (var element in request.Objects("spots"))
        {
            var t = ElephantJsonRequest.NestedInt(element, "t", "spots");
            var pos = ElephantJsonRequest.NestedDoubles(element, "pos", 3, "spots");
            var covariance = ElephantJsonRequest.NestedDoubles(element, "covariance", 9, "spots");
            var tagText = ElephantJsonRequest.NestedString(element, "tag", "spots");
            DetectionTag tag;
            try
            {
                tag = TagNames.ParseDetection(tagText, "spots[].tag");
            }
            catch (InvalidDataException exception)
            {
                throw new ElephantRequestException(exception.Message, exception);
            }

            if (t < 0)
            {
                throw new ElephantRequestException($"spots[].t should not be negative, not {t}");
            }

            if (tag == DetectionTag.Unlabeled)
            {
                continue;
            }

            if (!groups.TryGetValue(t, out var list))
            {
                groups[t] = list = [];
            }

            list.Add(new AnnotatedSpot(pos[0], pos[1], pos[2], covariance, tag));
        }

        return groups;
    }
}
