namespace CellVision.Segmentation;

/// <summary>
/// The exact Euclidean distance from every voxel to the nearest marked voxel, for unit voxels, as float32 — scipy's
/// <c>distance_transform_edt(1 − marked).astype(float32)</c>: the squared distance is an exact integer, its float64
/// square root is rounded to float32. Voxels with no marked voxel anywhere get +∞. Meijster, Roerdink and Hesselink's
/// separable algorithm, one axis at a time, in integer arithmetic.
/// </summary>
internal static class EdgeDistanceTransform
{
    /// <summary>Squared distances at or above this mean "no marked voxel on any path so far".</summary>
    private const long Unreached = 1L << 50;

    /// <summary>Distances to the nearest voxel with <paramref name="marked"/> set.</summary>
    internal static float[] Compute(bool[] marked, (int Depth, int Height, int Width) shape, CancellationToken cancellationToken)
    {
        var (depth, height, width) = shape;
        var squared = new long[marked.Length];
        for (var i = 0; i < marked.Length; i++)
        {
            squared[i] = marked[i] ? 0 : Unreached;
        }

        // One pass per axis turns the squared distance to the nearest marked voxel within lines into the nearest within
        // planes, then within the volume.
        var plane = height * width;
        Pass(squared, new Lines(width, 1, depth, plane, height, width), cancellationToken);
        Pass(squared, new Lines(height, width, depth, plane, width, 1), cancellationToken);
        Pass(squared, new Lines(depth, plane, height, width, width, 1), cancellationToken);

        var distances = new float[marked.Length];
        for (var i = 0; i < distances.Length; i++)
        {
            distances[i] = squared[i] >= Unreached ? float.PositiveInfinity : (float)Math.Sqrt(squared[i]);
        }

        return distances;
    }

    /// <summary>The lower envelope of parabolas <c>(x − i)² + f(i)</c> along every line of one axis, in place.</summary>
    private static void Pass(long[] squared, Lines lines, CancellationToken cancellationToken)
    {
        var length = lines.Length;
        Parallel.For(
            0,
            lines.Outer,
            new ParallelOptions { CancellationToken = cancellationToken },
            () => (F: new long[length], S: new int[length], T: new int[length]),
            (o, _, buffers) =>
            {
                var (f, s, t) = buffers;
                for (var line = 0; line < lines.Inner; line++)
                {
                    var start = (o * lines.OuterStride) + (line * lines.InnerStride);
                    for (var k = 0; k < length; k++)
                    {
                        f[k] = squared[start + (k * lines.Stride)];
                    }

                    var q = Envelope(f, s, t, length);
                    for (var u = length - 1; u >= 0; u--)
                    {
                        squared[start + (u * lines.Stride)] = Math.Min(Unreached, Value(f, u, s[q]));
                        if (u == t[q])
                        {
                            q--;
                        }
                    }
                }

                return buffers;
            },
            _ => { });
    }

    /// <summary>Meijster's scan: s[0..q] are the apexes of the envelope, t[k] the first position where s[k] wins; returns q.</summary>
    private static int Envelope(long[] f, int[] s, int[] t, int length)
    {
        var q = 0;
        s[0] = 0;
        t[0] = 0;
        for (var u = 1; u < length; u++)
        {
            while (q >= 0 && Value(f, t[q], s[q]) > Value(f, t[q], u))
            {
                q--;
            }

            if (q < 0)
            {
                q = 0;
                s[0] = u;
            }
            else
            {
                var w = 1 + Separation(f, s[q], u);
                if (w < length)
                {
                    q++;
                    s[q] = u;
                    t[q] = (int)w;
                }
            }
        }

        return q;
    }

    private static long Value(long[] f, int x, int apex) => ((long)(x - apex) * (x - apex)) + f[apex];

    /// <summary>The last position where apex i is at least as close as apex u (i &lt; u), floor((u² − i² + f(u) − f(i)) / 2(u − i)).</summary>
    private static long Separation(long[] f, int i, int u)
    {
        var numerator = ((long)u * u) - ((long)i * i) + f[u] - f[i];
        var denominator = 2L * (u - i);
        return numerator >= 0 ? numerator / denominator : -((-numerator + denominator - 1) / denominator);
    }

    /// <summary>The lines of one axis: start = outer index · OuterStride + inner index · InnerStride, neighbours Stride apart.</summary>
    private readonly record struct Lines(int Length, int Stride, int Outer, int OuterStride, int Inner, int InnerStride);
}
