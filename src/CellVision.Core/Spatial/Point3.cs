namespace CellVision.Core.Spatial;

/// <summary>A point in physical coordinates (X, Y, Z).</summary>
/// <param name="X">X.</param>
/// <param name="Y">Y.</param>
/// <param name="Z">Z.</param>
public readonly record struct Point3(double X, double Y, double Z)
{
    /// <summary>The squared Euclidean distance to another point.</summary>
    /// <param name="other">The other point.</param>
    public double SquaredDistanceTo(Point3 other)
    {
        double dx = X - other.X, dy = Y - other.Y, dz = Z - other.Z;
        return dx * dx + dy * dy + dz * dz;
    }

    /// <summary>Whether every coordinate is finite.</summary>
    public bool IsFinite => double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);
}
