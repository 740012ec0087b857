using CellVision.Core.Spatial;

namespace CellVision.Benchmarks;

/// <summary>How far apart the cells of a frame lie: the scale of a nearest-neighbour linking threshold.</summary>
internal static class CellSpacing
{
    /// <summary>The median over all cells of the distance to the nearest other cell of the same frame.</summary>
    /// <param name="cells">Each cell's frame and position.</param>
    internal static double MedianNearestNeighbourDistance(IEnumerable<(int Frame, Point3 Position)> cells)
    {
        var distances = new List<double>();
        var indices = new int[2];
        var squared = new double[2];
        foreach (var frame in cells.GroupBy(c => c.Frame))
        {
            var points = frame.Select(c => c.Position).ToArray();
            if (points.Length < 2)
            {
                continue;
            }

            var tree = KdTree3.Build(points);
            foreach (var p in points)
            {
                tree.Nearest(p, indices, squared);
                distances.Add(Math.Sqrt(squared[1]));
            }
        }

        distances.Sort();
        return distances[distances.Count / 2];
    }
}
