namespace CellVision.Core.Geometry;

/// <summary>Eigen-decomposition of symmetric 3×3 matrices by cyclic Jacobi rotations (eigenvalues ascending, like LAPACK's).</summary>
public static class SymmetricEigen
{
    private static readonly int[] Axes = [0, 1, 2];

    /// <summary>Eigenvalues (ascending) and eigenvectors (columns of the row-major <c>Vectors</c>).</summary>
    public static (double[] Values, double[] Vectors) Decompose(ReadOnlySpan<double> matrix)
    {
        var a = matrix.ToArray();
        double[] v = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        for (var sweep = 0; sweep < 64; sweep++)
        {
            var off = (a[1] * a[1]) + (a[2] * a[2]) + (a[5] * a[5]);
            if (off < 1e-30 * ((a[0] * a[0]) + (a[4] * a[4]) + (a[8] * a[8]) + 1e-300))
            {
                break;
            }

            for (var p = 0; p < 2; p++)
            {
                for (var q = p + 1; q < 3; q++)
                {
                    var apq = a[(p * 3) + q];
                    if (apq == 0)
                    {
                        continue;
                    }

                    var theta = (a[(q * 3) + q] - a[(p * 3) + p]) / (2 * apq);
                    var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    var c = 1 / Math.Sqrt((t * t) + 1);
                    var s = t * c;
                    for (var k = 0; k < 3; k++)
                    {
                        var akp = a[(k * 3) + p];
                        var akq = a[(k * 3) + q];
                        a[(k * 3) + p] = (c * akp) - (s * akq);
                        a[(k * 3) + q] = (s * akp) + (c * akq);
                    }

                    for (var k = 0; k < 3; k++)
                    {
                        var apk = a[(p * 3) + k];
                        var aqk = a[(q * 3) + k];
                        a[(p * 3) + k] = (c * apk) - (s * aqk);
                        a[(q * 3) + k] = (s * apk) + (c * aqk);
                    }

                    for (var k = 0; k < 3; k++)
                    {
                        var vkp = v[(k * 3) + p];
                        var vkq = v[(k * 3) + q];
                        v[(k * 3) + p] = (c * vkp) - (s * vkq);
                        v[(k * 3) + q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        var order = Axes.OrderBy(i => a[(i * 3) + i]).ToArray();
        var values = order.Select(i => a[(i * 3) + i]).ToArray();
        var vectors = new double[9];
        for (var row = 0; row < 3; row++)
        {
            for (var column = 0; column < 3; column++)
            {
                vectors[(row * 3) + column] = v[(row * 3) + order[column]];
            }
        }

        return (values, vectors);
    }
}
