namespace CellVision.Networks;

/// <summary>
/// scikit-image's <c>transform.rotate(image, angle, resize=True, preserve_range=True, mode='constant', cval=0)</c> of one
/// 2-D slice, as ELEPHANT's rotation augmentation calls it: bilinear (order 1) for intensities, nearest (order 0) for
/// labels. The output grows to hold the whole rotated slice; pixels mapping outside the input read 0.
/// </summary>
/// <remarks>
/// scikit-image rotates about <c>(cols / 2 − 0.5, rows / 2 − 0.5)</c>: the map from output (col, row) to input is
/// <c>M = T(c) · R(θ) · T(−c) · T(min_c, min_r)</c>, where (min_c, min_r) is the smallest corner of the input mapped by
/// M⁻¹ and the output shape is <c>round(max − min + 1)</c> per axis. Order 1 runs scikit-image's Cython warp, in single
/// precision for float32 images: M is cast to float32, each output pixel's source position is computed in float32, the
/// four neighbours (floor and ceil of the position; outside → 0) are mixed in double except the products of a fractional
/// offset and a far neighbour, which are float32 products (as Cython compiles it), and the result is clipped to the
/// input's range widened to 0. Order 0 runs <c>scipy.ndimage.map_coordinates</c> in double precision with mode
/// <c>grid-constant</c>: the source pixel is <c>floor(position + 0.5)</c>, 0 outside. Both equal scikit-image 0.19 bit
/// for bit, borders included (Golden/rotate_reference.py), where numpy takes cos and sin from the C library as
/// <see cref="Math.Cos"/> does. On AVX-512 CPUs numpy's own SIMD cos and sin can be an ulp away, which flips the nearest
/// pixel where the exact position is half-way between two (the output diagonal at 45°), so there scikit-image's labels
/// depend on the CPU.
/// </remarks>
public sealed class SliceRotation
{
    private SliceRotation(int inputRows, int inputColumns, int rows, int columns, double[] matrix)
    {
        InputRows = inputRows;
        InputColumns = inputColumns;
        Rows = rows;
        Columns = columns;
        Matrix = matrix;
    }

    /// <summary>Rows of the input slice.</summary>
    public int InputRows { get; }

    /// <summary>Columns of the input slice.</summary>
    public int InputColumns { get; }

    /// <summary>Rows of the rotated slice.</summary>
    public int Rows { get; }

    /// <summary>Columns of the rotated slice.</summary>
    public int Columns { get; }

    /// <summary>Row-major 3×3 map from output (col, row, 1) to input (col, row, 1).</summary>
    public double[] Matrix { get; }

    /// <summary>Plans the rotation of a <paramref name="rows"/> × <paramref name="columns"/> slice by <paramref name="degrees"/> (counter-clockwise as displayed).</summary>
    public static SliceRotation Create(int rows, int columns, double degrees)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        var (cx, cy) = ((columns / 2.0) - 0.5, (rows / 2.0) - 0.5);
        var radians = degrees * (Math.PI / 180.0);
        var (cos, sin) = (Math.Cos(radians), Math.Sin(radians));
        double[] t1 = [1, 0, cx, 0, 1, cy, 0, 0, 1];
        double[] r = [cos, -sin, 0, sin, cos, 0, 0, 0, 1];
        double[] t3 = [1, 0, -cx, 0, 1, -cy, 0, 0, 1];
        var m = Multiply(t1, Multiply(r, t3));

        // The input's corners in output coordinates (through M⁻¹) give the output shape and the translation.
        var inverse = Invert(m);
        double[][] corners = [[0, 0], [0, rows - 1], [columns - 1, rows - 1], [columns - 1, 0]];
        var (minC, minR, maxC, maxR) = (double.PositiveInfinity, double.PositiveInfinity, double.NegativeInfinity, double.NegativeInfinity);
        foreach (var corner in corners)
        {
            var c = (corner[0] * inverse[0]) + (corner[1] * inverse[1]) + inverse[2];
            var rr = (corner[0] * inverse[3]) + (corner[1] * inverse[4]) + inverse[5];
            var w = (corner[0] * inverse[6]) + (corner[1] * inverse[7]) + inverse[8];
            (c, rr) = (c / w, rr / w);
            (minC, maxC) = (Math.Min(minC, c), Math.Max(maxC, c));
            (minR, maxR) = (Math.Min(minR, rr), Math.Max(maxR, rr));
        }

        var outRows = (int)Math.Round(maxR - minR + 1, MidpointRounding.ToEven);
        var outColumns = (int)Math.Round(maxC - minC + 1, MidpointRounding.ToEven);
        var matrix = Multiply(m, [1, 0, minC, 0, 1, minR, 0, 0, 1]);
        matrix[6] = 0;
        matrix[7] = 0;
        matrix[8] = 1;
        return new SliceRotation(rows, columns, outRows, outColumns, matrix);
    }

    /// <summary>Bilinear rotation of a float32 slice (row-major) into <paramref name="output"/> (<see cref="Rows"/> × <see cref="Columns"/>).</summary>
    public void Bilinear(ReadOnlySpan<float> image, Span<float> output)
    {
        Check(image.Length, output.Length);
        var m = Matrix.Select(v => (float)v).ToArray();
        var (rows, cols) = (InputRows, InputColumns);
        for (var tr = 0; tr < Rows; tr++)
        {
            for (var tc = 0; tc < Columns; tc++)
            {
                float x = tc, y = tr;
                var c = (m[0] * x) + (m[1] * y) + m[2];
                var r = (m[3] * x) + (m[4] * y) + m[5];
                var minr = (long)Math.Floor((double)r);
                var minc = (long)Math.Floor((double)c);
                var maxr = (long)Math.Ceiling((double)r);
                var maxc = (long)Math.Ceiling((double)c);
                var dr = r - minr;
                var dc = c - minc;
                var topLeft = Pixel(image, rows, cols, minr, minc);
                var topRight = Pixel(image, rows, cols, minr, maxc);
                var bottomLeft = Pixel(image, rows, cols, maxr, minc);
                var bottomRight = Pixel(image, rows, cols, maxr, maxc);
                // Cython's arithmetic exactly: (1.0 − d) is double, d · pixel is a float product.
                var top = ((1.0 - dc) * topLeft) + (double)(dc * topRight);
                var bottom = ((1.0 - dc) * bottomLeft) + (double)(dc * bottomRight);
                output[(tr * Columns) + tc] = (float)(((1.0 - dr) * top) + (dr * bottom));
            }
        }

        ClipLikeScikitImage(image, output);
    }

    /// <summary>Nearest-neighbour rotation of a label slice (row-major) into <paramref name="output"/> (<see cref="Rows"/> × <see cref="Columns"/>).</summary>
    public void Nearest(ReadOnlySpan<byte> image, Span<byte> output)
    {
        Check(image.Length, output.Length);
        var m = Matrix;
        var (rows, cols) = (InputRows, InputColumns);
        for (var tr = 0; tr < Rows; tr++)
        {
            for (var tc = 0; tc < Columns; tc++)
            {
                var c = (tc * m[0]) + (tr * m[1]) + m[2];
                var r = (tc * m[3]) + (tr * m[4]) + m[5];
                var ir = (long)Math.Floor(r + 0.5);
                var ic = (long)Math.Floor(c + 0.5);
                output[(tr * Columns) + tc] = ir < 0 || ir >= rows || ic < 0 || ic >= cols ? (byte)0 : image[(int)((ir * cols) + ic)];
            }
        }
    }

    private static float Pixel(ReadOnlySpan<float> image, int rows, int cols, long r, long c) =>
        r < 0 || r >= rows || c < 0 || c >= cols ? 0f : image[(int)((r * cols) + c)];

    /// <summary>scikit-image's <c>clip=True</c>: the input's range, widened to the fill value 0 when 0 appears in the output range.</summary>
    private static void ClipLikeScikitImage(ReadOnlySpan<float> image, Span<float> output)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in image)
        {
            (min, max) = (Math.Min(min, v), Math.Max(max, v));
        }

        if (!(min <= 0 && 0 <= max))
        {
            float outMin = float.PositiveInfinity, outMax = float.NegativeInfinity;
            foreach (var v in output)
            {
                (outMin, outMax) = (Math.Min(outMin, v), Math.Max(outMax, v));
            }

            if (outMin <= 0 && 0 <= outMax)
            {
                (min, max) = (Math.Min(min, 0), Math.Max(max, 0));
            }
        }

        for (var i = 0; i < output.Length; i++)
        {
            output[i] = Math.Clamp(output[i], min, max);
        }
    }

    private void Check(int inputLength, int outputLength)
    {
        if (inputLength != InputRows * InputColumns || outputLength != Rows * Columns)
        {
            throw new ArgumentException($"Expected a {InputRows}×{InputColumns} input and a {Rows}×{Columns} output; got {inputLength} and {outputLength} values.");
        }
    }

    private static double[] Multiply(double[] a, double[] b)
    {
        var result = new double[9];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                result[(i * 3) + j] = (a[i * 3] * b[j]) + (a[(i * 3) + 1] * b[3 + j]) + (a[(i * 3) + 2] * b[6 + j]);
            }
        }

        return result;
    }

    private static double[] Invert(double[] m)
    {
        var det = (m[0] * ((m[4] * m[8]) - (m[5] * m[7]))) - (m[1] * ((m[3] * m[8]) - (m[5] * m[6]))) + (m[2] * ((m[3] * m[7]) - (m[4] * m[6])));
        return
        [
            ((m[4] * m[8]) - (m[5] * m[7])) / det, ((m[2] * m[7]) - (m[1] * m[8])) / det, ((m[1] * m[5]) - (m[2] * m[4])) / det,
            ((m[5] * m[6]) - (m[3] * m[8])) / det, ((m[0] * m[8]) - (m[2] * m[6])) / det, ((m[2] * m[3]) - (m[0] * m[5])) / det,
            ((m[3] * m[7]) - (m[4] * m[6])) / det, ((m[1] * m[6]) - (m[0] * m[7])) / det, ((m[0] * m[4]) - (m[1] * m[3])) / det,
        ];
    }
}
