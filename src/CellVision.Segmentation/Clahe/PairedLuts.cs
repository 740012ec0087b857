using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CellVision.Segmentation;

/// <summary>
/// The tile lookup tables laid out for interpolation with AVX2: per tile row and bin, the values of the row's tiles
/// with the first and last repeated (<c>t0, t0, t1, …, t(n−1), t(n−1)</c>), so the lower and upper tile of any column
/// (edge-clamped as scikit-image clamps them) are two adjacent doubles that one 128-bit load fetches. A voxel's eight
/// terms then come from four loads instead of eight gathers, with the same float64 products and float32 sums.
/// </summary>
internal sealed unsafe class PairedLuts
{
    private readonly double[] values;
    private readonly int[] segments;
    private readonly double[] xWeights;
    private readonly int stride;
    private readonly int rowSize;

    /// <summary>Rearranges <paramref name="luts"/> (<c>[tile · bins + bin]</c>, tiles in Z, Y, X order).</summary>
    internal PairedLuts(ClaheGrid grid, double[] luts)
    {
        var (nx, bins) = (grid.Nx, grid.Bins);
        stride = nx + 2;
        rowSize = bins * stride;
        var rows = grid.Nz * grid.Ny;
        values = GC.AllocateUninitializedArray<double>(rows * rowSize);
        for (var row = 0; row < rows; row++)
        {
            for (var b = 0; b < bins; b++)
            {
                var target = values.AsSpan((row * rowSize) + (b * stride), stride);
                for (var tx = 0; tx < nx; tx++)
                {
                    target[tx + 1] = luts[(((row * nx) + tx) * bins) + b];
                }

                target[0] = target[1];
                target[nx + 1] = target[nx];
            }
        }

        // Column x lies between tile centres segment − 1 and segment (ClaheGrid's interpolation blocks).
        var (wx0, wx1, _, _) = grid.XWeights;
        segments = new int[grid.Width];
        xWeights = new double[4 * grid.Width];
        for (var x = 0; x < grid.Width; x++)
        {
            segments[x] = (x + (grid.Kx / 2)) / grid.Kx;
            (xWeights[4 * x], xWeights[(4 * x) + 1], xWeights[(4 * x) + 2], xWeights[(4 * x) + 3]) = (wx0[x], wx1[x], wx0[x], wx1[x]);
        }
    }

    /// <summary>
    /// Interpolates one row four voxels at a time; returns the first column it did not process (the caller finishes
    /// the row with the scalar loop).
    /// </summary>
    /// <param name="bin">The bins of the window.</param>
    /// <param name="rowOffset">Index of the row's first voxel in the window.</param>
    /// <param name="width">Voxels per row.</param>
    /// <param name="tileRows">The tile rows (tz · ny + ty) of the four (z, y) corners: z low/high × y low/high.</param>
    /// <param name="wy">The row's weights of the lower and upper tile row.</param>
    /// <param name="wz">The plane's weights of the lower and upper tile plane.</param>
    /// <param name="output">The window's 14-bit results.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal int InterpolateRow<TSource>(TSource bin, int rowOffset, int width, (int R00, int R01, int R10, int R11) tileRows, (double W0, double W1) wy, (double W0, double W1) wz, ushort* output)
        where TSource : struct, IBinSource
    {
        var x = 0;
        fixed (double* values = this.values)
        fixed (double* xWeights = this.xWeights)
        fixed (int* segments = this.segments)
        {
            var corners = new Corners(values + (tileRows.R00 * rowSize), values + (tileRows.R01 * rowSize), values + (tileRows.R10 * rowSize), values + (tileRows.R11 * rowSize));
            var yWeights = Vector256.Create(wy.W0, wy.W0, wy.W1, wy.W1);
            var (z0, z1) = (Vector256.Create(wz.W0), Vector256.Create(wz.W1));
            for (; x + 4 <= width; x += 4)
            {
                var index = rowOffset + x;
                var (low0, high0) = Terms(corners, (bin[index] * stride) + segments[x], xWeights + (4 * x), yWeights, z0, z1);
                var (low1, high1) = Terms(corners, (bin[index + 1] * stride) + segments[x + 1], xWeights + (4 * x) + 4, yWeights, z0, z1);
                var (low2, high2) = Terms(corners, (bin[index + 2] * stride) + segments[x + 2], xWeights + (4 * x) + 8, yWeights, z0, z1);
                var (low3, high3) = Terms(corners, (bin[index + 3] * stride) + segments[x + 3], xWeights + (4 * x) + 12, yWeights, z0, z1);

                // Transposed, term t of the four voxels is one vector; summed in scikit-image's term order.
                var (t0, t1, t2, t3) = Transpose(low0, low1, low2, low3);
                var (t4, t5, t6, t7) = Transpose(high0, high1, high2, high3);
                var sum = Sse.Add(Sse.Add(Sse.Add(Sse.Add(Sse.Add(Sse.Add(Sse.Add(t0, t1), t2), t3), t4), t5), t6), t7);
                var truncated = Sse2.ConvertToVector128Int32WithTruncation(sum);
                *(ulong*)(output + index) = Sse41.PackUnsignedSaturate(truncated, truncated).AsUInt64().ToScalar();
            }
        }

        return x;
    }

    /// <summary>The eight float32 terms of one voxel: corners (z0 y0), (z0 y1) in the low vector, (z1 y0), (z1 y1) in the high, x low before x high.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> Low, Vector128<float> High) Terms(Corners corners, int offset, double* xWeights, Vector256<double> yWeights, Vector256<double> z0, Vector256<double> z1)
    {
        var front = Vector256.Create(Sse2.LoadVector128(corners.P00 + offset), Sse2.LoadVector128(corners.P01 + offset));
        var back = Vector256.Create(Sse2.LoadVector128(corners.P10 + offset), Sse2.LoadVector128(corners.P11 + offset));
        var xy = Avx.Multiply(Avx.LoadVector256(xWeights), yWeights);
        return (Avx.ConvertToVector128Single(Avx.Multiply(front, Avx.Multiply(xy, z0))), Avx.ConvertToVector128Single(Avx.Multiply(back, Avx.Multiply(xy, z1))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float>, Vector128<float>, Vector128<float>, Vector128<float>) Transpose(Vector128<float> r0, Vector128<float> r1, Vector128<float> r2, Vector128<float> r3)
    {
        var a = Sse.UnpackLow(r0, r1);
        var b = Sse.UnpackLow(r2, r3);
        var c = Sse.UnpackHigh(r0, r1);
        var d = Sse.UnpackHigh(r2, r3);
        return (Sse.MoveLowToHigh(a, b), Sse.MoveHighToLow(b, a), Sse.MoveLowToHigh(c, d), Sse.MoveHighToLow(d, c));
    }

    /// <summary>The first value of the four corner tile rows.</summary>
    private readonly struct Corners(double* p00, double* p01, double* p10, double* p11)
    {
        public readonly double* P00 = p00;
        public readonly double* P01 = p01;
        public readonly double* P10 = p10;
        public readonly double* P11 = p11;
    }
}
