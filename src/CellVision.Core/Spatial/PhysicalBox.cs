namespace CellVision.Core.Spatial;

/// <summary>
/// An axis-aligned box in physical coordinates: an origin and a size per axis. A point is inside when
/// <c>origin ≤ p &lt; origin + size</c> on every axis (half-open, as ELEPHANT's crop boxes).
/// </summary>
/// <param name="Origin">The lowest corner.</param>
/// <param name="Size">The extent along X, Y and Z (each ≥ 0).</param>
public readonly record struct PhysicalBox(Point3 Origin, Point3 Size)
{
    /// <summary>Whether the point lies inside the box (lower faces included, upper faces excluded).</summary>
    /// <param name="x">X.</param>
    /// <param name="y">Y.</param>
    /// <param name="z">Z.</param>
    public bool Contains(double x, double y, double z) =>
        x >= Origin.X && x < Origin.X + Size.X &&
        y >= Origin.Y && y < Origin.Y + Size.Y &&
        z >= Origin.Z && z < Origin.Z + Size.Z;

    /// <summary>Whether the point lies inside the box.</summary>
    /// <param name="point">The point.</param>
    public bool Contains(Point3 point) => Contains(point.X, point.Y, point.Z);
}
