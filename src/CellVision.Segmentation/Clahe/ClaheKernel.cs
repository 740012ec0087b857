using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;

namespace CellVision.Segmentation;

/// <summary>
/// scikit-image's <c>_clahe</c> on a 14-bit volume (values 0…16383), Z, Y, X in C order, reproduced operation for
/// operation: reflect padding, one histogram per tile, the integer clip-and-redistribute, the per-tile mapping, and
/// multilinear interpolation between tile centres with the same float64/float32 mix.
/// A 2-D image is a volume of depth 1 with a Z kernel of 1 (the extra terms carry weight exactly 0).
/// </summary>
internal static class ClaheKernel
{
    internal const int GrayLevels = 16384;

    /// <summary>
    /// The bin of every uint16 value after scikit-image's stretch of [<paramref name="min"/>, <paramref name="max"/>] to
    /// 0…16383 (<c>np.round(rescale_intensity(image, out_range=(0, 16383)))</c>) and its binning (<c>v // (1 + 16384 // bins)</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static ushort[] BinTable(ushort min, ushort max, int bins)
    {
        var binSize = 1 + (GrayLevels / bins);
        var table = new ushort[65536];
        double low = min, range = max - (double)min;

        // Only values in [min, max] occur in the image; Math.Round rounds half to even, as np.round does.
        for (var u = (int)min; u <= max; u++)
        {
            var gray = min == max ? Math.Min(u, GrayLevels - 1) : (int)Math.Round(((u - low) / range * (GrayLevels - 1)) + 0.0);
            table[u] = (ushort)(gray / binSize);
        }

        return table;
    }

    /// <summary>
    /// Equalises a volume of shape <paramref name="shape"/> whose histogram bins <paramref name="bin"/> gives into
    /// <paramref name="output"/> (14-bit values; a pointer to as many ushorts as voxels).
    /// </summary>
    internal static void Run<TSource>(TSource bin, int[] shape, int[] kernel, double clipLimit, int bins, nint output, CancellationToken cancellationToken)
        where TSource : struct, IBinSource
    {
        var grid = new ClaheGrid(shape, kernel, clipLimit, bins);
        var window = new BinWindow(0, 0, grid.Depth, grid.Height);
        var luts = new double[grid.TileCount * bins];
        Parallel.For(0, grid.TileCount, new ParallelOptions { CancellationToken = cancellationToken }, tile => TileLut(bin, window, grid, tile, luts));
        Interpolate(bin, window, grid, luts, output, cancellationToken);
    }

    /// <summary>
    /// Computes the lookup table of one tile (<c>luts[tile · bins + bin]</c>, values ≤ 16383) from the bins of
    /// <paramref name="window"/>, which must hold every source voxel the tile covers after reflect padding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void TileLut<TSource>(TSource bin, BinWindow window, ClaheGrid grid, int tile, double[] luts)
        where TSource : struct, IBinSource
    {
        var (kz, ky, kx) = (grid.Kz, grid.Ky, grid.Kx);
        var width = grid.Width;
        var tz = tile / (grid.Ny * grid.Nx);
        var ty = tile / grid.Nx % grid.Ny;
        var tx = tile % grid.Nx;
        // Four sub-histograms, one per column phase, so runs of equal bins do not wait on each other's increments.
        var bins = grid.Bins;
        var counts = new int[4 * bins];
        var xStart = tx * kx;
        var xInside = (tx + 1) * kx <= width;
        for (var z = tz * kz; z < (tz + 1) * kz; z++)
        {
            var planeOffset = (grid.ZIndex[z] - window.Z0) * window.Height;
            for (var y = ty * ky; y < (ty + 1) * ky; y++)
            {
                var rowOffset = (planeOffset + (grid.YIndex[y] - window.Y0)) * width;
                if (xInside)
                {
                    var x = rowOffset + xStart;
                    var end = x + kx;
                    for (; x + 4 <= end; x += 4)
                    {
                        counts[bin[x]]++;
                        counts[bins + bin[x + 1]]++;
                        counts[(2 * bins) + bin[x + 2]]++;
                        counts[(3 * bins) + bin[x + 3]]++;
                    }

                    for (; x < end; x++)
                    {
                        counts[bin[x]]++;
                    }
                }
                else
                {
                    for (var x = xStart; x < xStart + kx; x++)
                    {
                        counts[bin[rowOffset + grid.XIndex[x]]]++;
                    }
                }
            }
        }

        var histogram = new long[bins];
        for (var b = 0; b < histogram.Length; b++)
        {
            histogram[b] = (long)counts[b] + counts[bins + b] + counts[(2 * bins) + b] + counts[(3 * bins) + b];
        }

        ClipHistogram(histogram, grid.Clip);
        var lut = luts.AsSpan(tile * grid.Bins, grid.Bins);
        long cumulative = 0;
        for (var b = 0; b < histogram.Length; b++)
        {
            cumulative += histogram[b];
            var mapped = cumulative * grid.Factor;
            lut[b] = (long)Math.Min(mapped, GrayLevels - 1); // exact in a double: at most 16383
        }
    }

    /// <summary>
    /// Interpolates the tile lookup tables at every voxel of <paramref name="window"/> (its bins in <paramref name="bin"/>)
    /// into <paramref name="output"/> (a pointer to ushorts), laid out like the window.
    /// </summary>
    internal static unsafe void Interpolate<TSource>(TSource bin, BinWindow window, ClaheGrid grid, double[] luts, nint output, CancellationToken cancellationToken)
        where TSource : struct, IBinSource
    {
        var (ny, nx, bins, width) = (grid.Ny, grid.Nx, grid.Bins, grid.Width);
        var (wz0, wz1, tzLow, tzHigh) = grid.ZWeights;
        var (wy0, wy1, tyLow, tyHigh) = grid.YWeights;
        var (wx0, wx1, xLow, xHigh) = grid.XWeights;
        var paired = Avx2.IsSupported && Sse41.IsSupported ? new PairedLuts(grid, luts) : null;
        Parallel.For(0, window.Depth, new ParallelOptions { CancellationToken = cancellationToken }, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (zl) =>
        {
            var z = window.Z0 + zl;
            var (zWeight0, zWeight1) = (wz0[z], wz1[z]);
            for (var yl = 0; yl < window.Height; yl++)
            {
                var y = window.Y0 + yl;
                var (yWeight0, yWeight1) = (wy0[y], wy1[y]);

                // Offsets of the four (z, y) tile rows: [z low|high][y low|high], each + x tile * bins + bin.
                var base00 = ((tzLow[z] * ny) + tyLow[y]) * nx * bins;
                var base01 = ((tzLow[z] * ny) + tyHigh[y]) * nx * bins;
                var base10 = ((tzHigh[z] * ny) + tyLow[y]) * nx * bins;
                var base11 = ((tzHigh[z] * ny) + tyHigh[y]) * nx * bins;
                var rowOffset = ((zl * window.Height) + yl) * width;
                var x = paired?.InterpolateRow(bin, rowOffset, width, ((tzLow[z] * ny) + tyLow[y], (tzLow[z] * ny) + tyHigh[y], (tzHigh[z] * ny) + tyLow[y], (tzHigh[z] * ny) + tyHigh[y]), (yWeight0, yWeight1), (zWeight0, zWeight1), (ushort*)output) ?? 0;

                for (; x < width; x++)
                {
                    var index = rowOffset + x;
                    var b = bin[index];
                    var (xWeight0, xWeight1) = (wx0[x], wx1[x]);
                    var low = xLow[x] + b;
                    var high = xHigh[x] + b;

                    // np.ndindex order (z, y, x; x fastest), weight = (wx · wy) · wz in float64, each term and each
                    // partial sum rounded to float32: exactly scikit-image's arithmetic.
                    var accumulator = (float)(luts[base00 + low] * (xWeight0 * yWeight0 * zWeight0));
                    accumulator = (float)(accumulator + (float)(luts[base00 + high] * (xWeight1 * yWeight0 * zWeight0)));
                    accumulator = (float)(accumulator + (float)(luts[base01 + low] * (xWeight0 * yWeight1 * zWeight0)));
                    accumulator = (float)(accumulator + (float)(luts[base01 + high] * (xWeight1 * yWeight1 * zWeight0)));
                    accumulator = (float)(accumulator + (float)(luts[base10 + low] * (xWeight0 * yWeight0 * zWeight1)));
                    accumulator = (float)(accumulator + (float)(luts[base10 + high] * (xWeight1 * yWeight0 * zWeight1)));
                    accumulator = (float)(accumulator + (float)(luts[base11 + low] * (xWeight0 * yWeight1 * zWeight1)));
                    accumulator = (float)(accumulator + (float)(luts[base11 + high] * (xWeight1 * yWeight1 * zWeight1)));
                    ((ushort*)output)[index] = (ushort)accumulator;
                }
            }
        });
    }

    /// <summary>scikit-image's <c>clip_histogram</c>, step for step (the order of the steps changes the result).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ClipHistogram(Span<long> histogram, long clip)
    {
        var bins = histogram.Length;
        long excess = 0;
        for (var i = 0; i < bins; i++)
        {
            if (histogram[i] > clip)
            {
                excess += histogram[i] - clip;
                histogram[i] = clip;
            }
        }

        var increment = excess / bins;
        var upper = clip - increment;
        for (var i = 0; i < bins; i++)
        {
            if (histogram[i] < upper)
            {
                histogram[i] += increment;
                excess -= increment;
            }
        }

        for (var i = 0; i < bins; i++)
        {
            if (histogram[i] >= upper && histogram[i] < clip)
            {
                excess -= clip - histogram[i];
                histogram[i] = clip;
            }
        }

        Span<bool> under = bins <= 1024 ? stackalloc bool[bins] : new bool[bins];
        while (excess > 0)
        {
            var previous = excess;
            for (var index = 0; index < bins; index++)
            {
                var count = 0;
                for (var i = 0; i < bins; i++)
                {
                    under[i] = histogram[i] < clip;
                    if (under[i])
                    {
                        count++;
                    }
                }

                var step = (int)Math.Max(1, count / excess);
                for (var i = index; i < bins; i += step)
                {
                    if (under[i])
                    {
                        histogram[i]++;
                        excess--;
                    }
                }

                if (excess <= 0)
                {
                    break;
                }
            }

            if (previous == excess)
            {
                break;
            }
        }
    }

    internal static int Reflect(int index, int size)
    {
        if (size == 1)
        {
            return 0;
        }

        var period = 2 * (size - 1);
        var j = index % period;
        if (j < 0)
        {
            j += period;
        }

        return j >= size ? period - j : j;
    }
}
