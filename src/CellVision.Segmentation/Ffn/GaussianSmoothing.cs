namespace CellVision.Segmentation;

/// <summary>
/// scipy.ndimage's <c>gaussian_filter</c> of a float32 volume with one sigma on every axis, <c>mode='reflect'</c>
/// and <c>truncate=4</c>: a float64 kernel of radius <c>int(4σ + 0.5)</c>, <c>exp(−0.5/σ² · x²)</c> normalised by its
/// NumPy (pairwise) sum, applied along Z, then Y, then X, each pass rounded to float32.
/// </summary>
internal static class GaussianSmoothing
{
    /// <summary>Smooths <paramref name="image"/> into a new array.</summary>
    internal static float[] Compute(float[] image, (int Depth, int Height, int Width) shape, double sigma, CancellationToken cancellationToken)
    {
        var kernel = Kernel(sigma);
        var result = new float[image.Length];
        LineCorrelation.Correlate(image, result, shape, 0, kernel, cancellationToken);
        LineCorrelation.Correlate(result, result, shape, 1, kernel, cancellationToken);
        LineCorrelation.Correlate(result, result, shape, 2, kernel, cancellationToken);
        return result;
    }

    /// <summary>scipy's <c>_gaussian_kernel1d(sigma, 0, int(4·sigma + 0.5))</c>.</summary>
    internal static double[] Kernel(double sigma)
    {
        var radius = (int)((4.0 * sigma) + 0.5);
        var factor = -0.5 / (sigma * sigma);
        var kernel = new double[(2 * radius) + 1];
        for (var i = 0; i < kernel.Length; i++)
        {
            var x = (double)((i - radius) * (i - radius));
            kernel[i] = Math.Exp(factor * x);
        }

        var sum = PairwiseSum(kernel);
        for (var i = 0; i < kernel.Length; i++)
        {
            kernel[i] /= sum;
        }

        return kernel;
    }

    /// <summary>NumPy's float64 pairwise summation (<c>np.add.reduce</c>): eight accumulators per block of up to 128, halves above.</summary>
    internal static double PairwiseSum(ReadOnlySpan<double> values)
    {
        const int block = 128;
        if (values.Length < 8)
        {
            var total = 0.0;
            foreach (var value in values)
            {
                total += value;
            }

            return total;
        }

        if (values.Length <= block)
        {
            Span<double> r = stackalloc double[8];
            values[..8].CopyTo(r);
            var i = 8;
            for (; i < values.Length - (values.Length % 8); i += 8)
            {
                for (var j = 0; j < 8; j++)
                {
                    r[j] += values[i + j];
                }
            }

            var result = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < values.Length; i++)
            {
                result += values[i];
            }

            return result;
        }

        var half = values.Length / 2;
        half -= half % 8;
        return PairwiseSum(values[..half]) + PairwiseSum(values[half..]);
    }
}
