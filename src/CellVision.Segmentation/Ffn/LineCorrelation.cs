namespace CellVision.Segmentation;

/// <summary>
/// scipy.ndimage's <c>correlate1d</c> on float32 volumes with <c>mode='reflect'</c>, to the bit: each line is read into
/// a float64 buffer extended by half-sample symmetric reflection (periodic with period 2n, so kernels longer than the
/// line work), correlated in float64 with scipy's symmetric or antisymmetric summation order (the centre tap first,
/// then the pairs from the outermost inwards), and rounded to float32 when written back.
/// </summary>
internal static class LineCorrelation
{
    /// <summary>C's DBL_EPSILON (2⁻⁵²), the tolerance of scipy's symmetry test; .NET's double.Epsilon is the smallest subnormal instead.</summary>
    private const double DoubleEpsilon = 2.220446049250313e-16;

    /// <summary>Correlates every line of <paramref name="source"/> along <paramref name="axis"/>; source and destination may be the same array.</summary>
    /// <param name="source">The input, Z, Y, X in C order.</param>
    /// <param name="destination">Receives the result (may alias <paramref name="source"/>).</param>
    /// <param name="shape">Depth, height and width.</param>
    /// <param name="axis">0 (Z), 1 (Y) or 2 (X).</param>
    /// <param name="weights">An odd number of weights, symmetric or antisymmetric about the centre.</param>
    /// <param name="cancellationToken">Checked once per plane of lines.</param>
    internal static void Correlate(float[] source, float[] destination, (int Depth, int Height, int Width) shape, int axis, double[] weights, CancellationToken cancellationToken)
    {
        var radius = weights.Length / 2;
        var symmetric = IsSymmetric(weights, 1);
        if (!symmetric && !IsSymmetric(weights, -1))
        {
            throw new ArgumentException("The line correlation supports symmetric and antisymmetric kernels only.", nameof(weights));
        }

        var (depth, height, width) = shape;
        var (length, stride, outer, outerStride, inner, innerStride) = axis switch
        {
            0 => (depth, height * width, height, width, width, 1),
            1 => (height, width, depth, height * width, width, 1),
            _ => (width, 1, depth, height * width, height, width),
        };
        Parallel.For(
            0,
            outer,
            new ParallelOptions { CancellationToken = cancellationToken },
            () => new double[length + (2 * radius)],
            (o, _, line) =>
            {
                for (var i = 0; i < inner; i++)
                {
                    var start = (o * outerStride) + (i * innerStride);
                    for (var k = -radius; k < length + radius; k++)
                    {
                        line[k + radius] = source[start + (Reflect(k, length) * stride)];
                    }

                    for (var k = 0; k < length; k++)
                    {
                        destination[start + (k * stride)] = (float)Apply(line, k + radius, weights, radius, symmetric);
                    }
                }

                return line;
            },
            _ => { });
    }

    /// <summary>Half-sample symmetric reflection (<c>d c b a | a b c d | d c b a</c>), periodic with period 2n.</summary>
    internal static int Reflect(int index, int length)
    {
        var period = 2 * length;
        var m = index % period;
        if (m < 0)
        {
            m += period;
        }

        return m < length ? m : period - 1 - m;
    }

    /// <summary>scipy's inner loop at one position: the centre product, then (outer pair ± inner pair) · weight from the outside in.</summary>
    private static double Apply(double[] line, int centre, double[] weights, int radius, bool symmetric)
    {
        var sum = line[centre] * weights[radius];
        for (var j = -radius; j < 0; j++)
        {
            var pair = symmetric ? line[centre + j] + line[centre - j] : line[centre + j] - line[centre - j];
            sum += pair * weights[radius + j];
        }

        return sum;
    }

    /// <summary>scipy's test: |w[c+i] ∓ w[c−i]| ≤ DBL_EPSILON for every i (sign +1 for symmetric, −1 for antisymmetric).</summary>
    private static bool IsSymmetric(double[] weights, int sign)
    {
        if (weights.Length % 2 == 0)
        {
            return false;
        }

        var radius = weights.Length / 2;
        for (var i = 1; i <= radius; i++)
        {
            if (Math.Abs(weights[radius + i] - (sign * weights[radius - i])) > DoubleEpsilon)
            {
                return false;
            }
        }

        return true;
    }
}
