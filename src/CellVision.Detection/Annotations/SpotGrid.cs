using CellVision.Core.Annotations;

namespace CellVision.Detection;

/// <summary>
/// Spots hashed into cubic cells as wide as the search distance, so that every spot closer than the distance to a point
/// lies in the point's cell or one of its 26 neighbours.
/// </summary>
internal sealed class SpotGrid(double distance)
{
    private const double MaxCell = 1L << 53;
    private readonly Dictionary<(long X, long Y, long Z), List<Spot>> cells = [];

    /// <summary>Adds a spot at its current centre.</summary>
    internal void Add(Spot spot)
    {
        if (distance <= 0)
        {
            return;
        }

        var key = Cell(spot.X, spot.Y, spot.Z);
        if (!cells.TryGetValue(key, out var list))
        {
            cells[key] = list = [];
        }

        list.Add(spot);
    }

    /// <summary>Moves a spot that was added at (<paramref name="x"/>, <paramref name="y"/>, <paramref name="z"/>) to its current centre.</summary>
    internal void Move(Spot spot, double x, double y, double z)
    {
        if (distance > 0 && cells.TryGetValue(Cell(x, y, z), out var list))
        {
            list.Remove(spot);
        }

        Add(spot);
    }

    /// <summary>The spot nearest to the point if it lies strictly closer than the distance (ties: the smaller identifier), else null.</summary>
    internal Spot? NearestWithin(double x, double y, double z)
    {
        if (distance <= 0)
        {
            return null;
        }

        var (cx, cy, cz) = Cell(x, y, z);
        Spot? best = null;
        var bestDistance = double.PositiveInfinity;
        for (var dz = -1L; dz <= 1; dz++)
        {
            for (var dy = -1L; dy <= 1; dy++)
            {
                for (var dx = -1L; dx <= 1; dx++)
                {
                    if (!cells.TryGetValue((cx + dx, cy + dy, cz + dz), out var list))
                    {
                        continue;
                    }

                    foreach (var spot in list)
                    {
                        var d = Math.Sqrt(spot.SquaredDistanceTo(x, y, z));
                        if (d < bestDistance || (d == bestDistance && spot.Id < best!.Id))
                        {
                            (best, bestDistance) = (spot, d);
                        }
                    }
                }
            }
        }

        return bestDistance < distance ? best : null;
    }

    private (long X, long Y, long Z) Cell(double x, double y, double z) => (Index(x), Index(y), Index(z));

    private long Index(double value) => (long)Math.Clamp(Math.Floor(value / distance), -MaxCell, MaxCell);
}
