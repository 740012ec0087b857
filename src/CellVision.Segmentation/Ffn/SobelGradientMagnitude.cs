namespace CellVision.Segmentation;

/// <summary>
/// scipy.ndimage's <c>generic_gradient_magnitude(image, sobel)</c> on a float32 volume, to the bit: for each axis the
/// Sobel derivative (<c>[-1, 0, 1]</c> along the axis, then <c>[1, 2, 1]</c> along each other axis in increasing order,
/// every pass rounded to float32), squared and summed in float32 in axis order, then the float32 square root.
/// </summary>
internal static class SobelGradientMagnitude
{
    private static readonly double[] Derivative = [-1, 0, 1];
    private static readonly double[] Smoothing = [1, 2, 1];

    /// <summary>The gradient magnitude of <paramref name="image"/> (reflect boundaries).</summary>
    internal static float[] Compute(float[] image, (int Depth, int Height, int Width) shape, CancellationToken cancellationToken)
    {
        var magnitude = new float[image.Length];
        var derivative = new float[image.Length];
        for (var axis = 0; axis < 3; axis++)
        {
            LineCorrelation.Correlate(image, derivative, shape, axis, Derivative, cancellationToken);
            for (var other = 0; other < 3; other++)
            {
                if (other != axis)
                {
                    LineCorrelation.Correlate(derivative, derivative, shape, other, Smoothing, cancellationToken);
                }
            }

            for (var i = 0; i < magnitude.Length; i++)
            {
                var square = derivative[i] * derivative[i];
                magnitude[i] = axis == 0 ? square : magnitude[i] + square;
            }
        }

        for (var i = 0; i < magnitude.Length; i++)
        {
            magnitude[i] = MathF.Sqrt(magnitude[i]);
        }

        return magnitude;
    }
}
