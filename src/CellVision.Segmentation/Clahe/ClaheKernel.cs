using System.Numerics;

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
    internal static ushort[] BinTable(ushort min, ushort max, int bins)
    {
        var binSize = 1 + (GrayLevels / bins);
        var table = new ushort[65536];
        double low = min, range = max - (double)min;
        for (var u = 0; u < table.Length; u++)
        {
            var gray = min == max
                ? Math.Min(u, GrayLevels - 1)
                : (int)Math.Round(((Math.Clamp(u, min, max) - low) / range * (GrayLevels - 1)) + 0.0, MidpointRounding.ToEven);
            table[u] = (ushort)(gray / binSize);
        }

        return table;
    }

    /// <summary>
    /// Equalises a volume given as histogram bin indices (<paramref name="bin"/>, shape <paramref name="shape"/>) into
    /// <paramref name="output"/> (14-bit values).
    /// </summary>
    internal static void Run<TBin>(TBin[] bin, int[] shape, int[] kernel, double clipLimit, int bins, ushort[] output, CancellationToken cancellationToken)
        where TBin : unmanaged, IBinaryInteger<TBin>
    {
        var (depth, height, width) = (shape[0], shape[1], shape[2]);
        var (kz, ky, kx) = (kernel[0], kernel[1], kernel[2]);
        var (nz, ny, nx) = (Ceil(depth, kz), Ceil(height, ky), Ceil(width, kx));
        var voxelsPerTile = (long)kz * ky * kx;
        var clip = clipLimit > 0 ? (long)Math.Max(clipLimit * voxelsPerTile, 1) : voxelsPerTile;

        // One lookup table per tile: lut[tile * bins + bin].
        var tileCount = nz * ny * nx;
        var luts = new long[tileCount * bins];
        var zIndex = ReflectedIndices(depth, kz, nz);
        var yIndex = ReflectedIndices(height, ky, ny);
        var xIndex = ReflectedIndices(width, kx, nx);
        var factor = (GrayLevels - 1) / (double)voxelsPerTile;
        Parallel.For(0, tileCount, new ParallelOptions { CancellationToken = cancellationToken }, tile =>
        {
            var tz = tile / (ny * nx);
            var ty = tile / nx % ny;
            var tx = tile % nx;
            var histogram = new long[bins];
            for (var z = tz * kz; z < (tz + 1) * kz; z++)
            {
                var planeOffset = zIndex[z] * height;
                for (var y = ty * ky; y < (ty + 1) * ky; y++)
                {
                    var rowOffset = (planeOffset + yIndex[y]) * width;
                    for (var x = tx * kx; x < (tx + 1) * kx; x++)
                    {
                        histogram[int.CreateTruncating(bin[rowOffset + xIndex[x]])]++;
                    }
                }
            }

            ClipHistogram(histogram, clip);
            var lut = luts.AsSpan(tile * bins, bins);
            long cumulative = 0;
            for (var b = 0; b < bins; b++)
            {
                cumulative += histogram[b];
                var mapped = cumulative * factor;
                lut[b] = (long)Math.Min(mapped, GrayLevels - 1);
            }
        });

        var lutValues = new double[luts.Length];
        for (var i = 0; i < luts.Length; i++)
        {
            lutValues[i] = luts[i]; // exact: values are at most 16383
        }

        var (wz0, wz1, tzLow, tzHigh) = Weights(depth, kz, nz);
        var (wy0, wy1, tyLow, tyHigh) = Weights(height, ky, ny);
        var (wx0, wx1, txLow, txHigh) = Weights(width, kx, nx);
        var xLow = txLow.Select(t => t * bins).ToArray();
        var xHigh = txHigh.Select(t => t * bins).ToArray();
        Parallel.For(0, depth, new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            var (zWeight0, zWeight1) = (wz0[z], wz1[z]);
            for (var y = 0; y < height; y++)
            {
                var (yWeight0, yWeight1) = (wy0[y], wy1[y]);

                // Offsets of the four (z, y) tile rows: [z low|high][y low|high], each + x tile * bins + bin.
                var base00 = ((tzLow[z] * ny) + tyLow[y]) * nx * bins;
                var base01 = ((tzLow[z] * ny) + tyHigh[y]) * nx * bins;
                var base10 = ((tzHigh[z] * ny) + tyLow[y]) * nx * bins;
                var base11 = ((tzHigh[z] * ny) + tyHigh[y]) * nx * bins;
                var rowOffset = ((z * height) + y) * width;
                for (var x = 0; x < width; x++)
                {
                    var index = rowOffset + x;
                    var b = int.CreateTruncating(bin[index]);
                    var (xWeight0, xWeight1) = (wx0[x], wx1[x]);
                    var low = xLow[x] + b;
                    var high = xHigh[x] + b;

                    // np.ndindex order (z, y, x; x fastest), weight = (wx · wy) · wz in float64, each term and each
                    // partial sum rounded to float32: exactly scikit-image's arithmetic.
                    var accumulator = (float)(lutValues[base00 + low] * (xWeight0 * yWeight0 * zWeight0));
                    accumulator = (float)(accumulator + (float)(lutValues[base00 + high] * (xWeight1 * yWeight0 * zWeight0)));
                    accumulator = (float)(accumulator + (float)(lutValues[base01 + low] * (xWeight0 * yWeight1 * zWeight0)));
                    accumulator = (float)(accumulator + (float)(lutValues[base01 + high] * (xWeight1 * yWeight1 * zWeight0)));
                    accumulator = (float)(accumulator + (float)(lutValues[base10 + low] * (xWeight0 * yWeight0 * zWeight1)));
                    accumulator = (float)(accumulator + (float)(lutValues[base10 + high] * (xWeight1 * yWeight0 * zWeight1)));
                    accumulator = (float)(accumulator + (float)(lutValues[base11 + low] * (xWeight0 * yWeight1 * zWeight1)));
                    accumulator = (float)(accumulator + (float)(lutValues[base11 + high] * (xWeight1 * yWeight1 * zWeight1)));
                    output[index] = (ushort)accumulator;
                }
            }
        });
    }

    /// <summary>scikit-image's <c>clip_histogram</c>, step for step (the order of the steps changes the result).</summary>
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

    /// <summary>For each tile-grid coordinate 0…n·k−1, the source index after numpy's reflect padding.</summary>
    private static int[] ReflectedIndices(int size, int kernel, int tiles)
    {
        var result = new int[tiles * kernel];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Reflect(i, size);
        }

        return result;
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

    /// <summary>Per coordinate: the two interpolation weights and the two tiles they apply to (edge-clamped).</summary>
    private static (double[] W0, double[] W1, int[] Low, int[] High) Weights(int size, int kernel, int tiles)
    {
        var w0 = new double[size];
        var w1 = new double[size];
        var low = new int[size];
        var high = new int[size];
        for (var x = 0; x < size; x++)
        {
            var p = x + (kernel / 2);
            var block = p / kernel;
            var offset = p % kernel;
            var coefficient = offset / (double)kernel;
            w1[x] = coefficient;
            w0[x] = 1 - coefficient;
            low[x] = Math.Clamp(block - 1, 0, tiles - 1);
            high[x] = Math.Clamp(block, 0, tiles - 1);
        }

        return (w0, w1, low, high);
    }

    private static int Ceil(int size, int kernel) => (size + kernel - 1) / kernel;
}
