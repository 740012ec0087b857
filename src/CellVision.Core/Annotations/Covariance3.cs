namespace CellVision.Core.Annotations;

/// <summary>
/// A symmetric 3×3 covariance of an ellipsoid in X, Y, Z order (physical units squared). Its eigenvalues are the
/// squared semi-axes, as in ELEPHANT and Mastodon.
/// </summary>
/// <param name="XX">Variance along X.</param>
/// <param name="XY">Covariance of X and Y.</param>
/// <param name="XZ">Covariance of X and Z.</param>
/// <param name="YY">Variance along Y.</param>
/// <param name="YZ">Covariance of Y and Z.</param>
/// <param name="ZZ">Variance along Z.</param>
public readonly record struct Covariance3(double XX, double XY, double XZ, double YY, double YZ, double ZZ)
{
    /// <summary>The covariance of a sphere of the given radius (radius² on the diagonal).</summary>
    /// <param name="radius">The radius in physical units.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is negative or not finite.</exception>
    public static Covariance3 Sphere(double radius)
    {
        if (!double.IsFinite(radius) || radius < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "The radius must be finite and not negative.");
        }

        var r2 = radius * radius;
        return new Covariance3(r2, 0, 0, r2, 0, r2);
    }

    /// <summary>Reads a row-major 3×3 matrix (9 values, X, Y, Z order); the upper triangle is used.</summary>
    /// <param name="rowMajor">Nine values.</param>
    /// <exception cref="ArgumentException">The span does not hold nine values.</exception>
    public static Covariance3 FromRowMajor(ReadOnlySpan<double> rowMajor)
    {
        if (rowMajor.Length != 9)
        {
            throw new ArgumentException($"A 3×3 covariance needs 9 values, not {rowMajor.Length}.", nameof(rowMajor));
        }

        return new Covariance3(rowMajor[0], rowMajor[1], rowMajor[2], rowMajor[4], rowMajor[5], rowMajor[8]);
    }

    /// <summary>The matrix as nine row-major values, X, Y, Z order.</summary>
    public double[] ToRowMajor() => [XX, XY, XZ, XY, YY, YZ, XZ, YZ, ZZ];

    /// <summary>The radius of the sphere with the same volume: the cube root of the product of the semi-axes (∛√det).</summary>
    public double EquivalentRadius
    {
        get
        {
            var det = XX * (YY * ZZ - YZ * YZ) - XY * (XY * ZZ - YZ * XZ) + XZ * (XY * YZ - YY * XZ);
            return det <= 0 ? 0 : Math.Cbrt(Math.Sqrt(det));
        }
    }

    /// <summary>Whether every entry is finite.</summary>
    public bool IsFinite =>
        double.IsFinite(XX) && double.IsFinite(XY) && double.IsFinite(XZ) &&
        double.IsFinite(YY) && double.IsFinite(YZ) && double.IsFinite(ZZ);
}
