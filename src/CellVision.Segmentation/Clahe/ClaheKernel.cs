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

    /// <summary>Equalises <paramref name="gray"/> (shape <paramref name="shape"/>) into <paramref name="result"/>.</summary>
    internal static void Run(ReadOnlySpan<ushort> gray, int[] shape, int[] kernel, double clipLimit, int bins, Span<ushort> result, CancellationToken cancellationToken)
    {
        var binSize = 1 + (GrayLevels / bins);
        var (depth, height, width) = (shape[0], shape[1], shape[2]);
        var (kz, ky, kx) = (kernel[0], kernel[1], kernel[2]);
        var (nz, ny, nx) = (Ceil(depth, kz), Ceil(height, ky), Ceil(width, kx));
        var voxelsPerTile = (long)kz * ky * kx;
        var clip = clipLimit > 0 ? (long)Math.Max(clipLimit * voxelsPerTile, 1) : voxelsPerTile;

        var bin = new byte[gray.Length];
        var binWide = bins > 256 ? new ushort[gray.Length] : null;
        for (var i = 0; i < gray.Length; i++)
        {
            var b = gray[i] / binSize;
            if (binWide is null)
            {
                bin[i] = (byte)b;
            }
            else
            {
                binWide[i] = (ushort)b;
            }
        }

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
                        var index = rowOffset + xIndex[x];
                        histogram[binWide is null ? bin[index] : binWide[index]]++;
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

        if (result.Length != gray.Length)
        {
            throw new ArgumentException("The result must have as many voxels as the input.", nameof(result));
        }

        var output = new ushort[gray.Length];
        var (wz0, wz1, tzLow, tzHigh) = Weights(depth, kz, nz);
        var (wy0, wy1, tyLow, tyHigh) = Weights(height, ky, ny);
        var (wx0, wx1, txLow, txHigh) = Weights(width, kx, nx);
        Parallel.For(0, depth, new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            Span<double> weightX = stackalloc double[2];
            Span<double> weightY = stackalloc double[2];
            Span<double> weightZ = stackalloc double[2];
            Span<int> tileZ = stackalloc int[2];
            Span<int> tileY = stackalloc int[2];
            Span<int> tileX = stackalloc int[2];
            weightZ[0] = wz0[z];
            weightZ[1] = wz1[z];
            tileZ[0] = tzLow[z];
            tileZ[1] = tzHigh[z];
            for (var y = 0; y < height; y++)
            {
                weightY[0] = wy0[y];
                weightY[1] = wy1[y];
                tileY[0] = tyLow[y];
                tileY[1] = tyHigh[y];
                var rowOffset = ((z * height) + y) * width;
                for (var x = 0; x < width; x++)
                {
                    weightX[0] = wx0[x];
                    weightX[1] = wx1[x];
                    tileX[0] = txLow[x];
                    tileX[1] = txHigh[x];
                    var index = rowOffset + x;
                    var b = binWide is null ? bin[index] : binWide[index];
                    var accumulator = 0f;
                    for (var ez = 0; ez < 2; ez++)
                    {
                        for (var ey = 0; ey < 2; ey++)
                        {
                            for (var ex = 0; ex < 2; ex++)
                            {
                                var weight = weightX[ex] * weightY[ey] * weightZ[ez];
                                var tile = (((tileZ[ez] * ny) + tileY[ey]) * nx) + tileX[ex];
                                var term = (float)(luts[(tile * bins) + b] * weight);
                                accumulator = (float)(accumulator + term);
                            }
                        }
                    }

                    output[index] = (ushort)accumulator;
                }
            }
        });
        output.CopyTo(result);
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
