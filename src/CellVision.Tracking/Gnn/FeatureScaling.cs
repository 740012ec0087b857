namespace CellVision.Tracking;

/// <summary>
/// The per-graph normalisation of the GNN tracker's hand-crafted node features: scikit-learn's
/// <c>MinMaxScaler().fit_transform</c> over the nodes of one graph (a training window, or the whole sequence at
/// inference), every column included, frame number too.
/// </summary>
public static class FeatureScaling
{
    /// <summary>numpy's <c>finfo(float64).eps</c>, 2⁻⁵² (not <see cref="double.Epsilon"/>, the smallest subnormal).</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// Scales each column to [0, 1] over the rows, as scikit-learn 1.0 does in double precision: with
    /// range = max − min (replaced by 1 when below 10 machine epsilons, so a constant column becomes 0),
    /// scale = 1 / range and value = x·scale + (0 − min·scale). The result is rounded to single precision.
    /// </summary>
    /// <param name="values">The raw features, row-major, <paramref name="rows"/> × <paramref name="columns"/>.</param>
    /// <param name="rows">Rows (nodes).</param>
    /// <param name="columns">Columns (features).</param>
    /// <returns>The scaled matrix, row-major float32.</returns>
    /// <exception cref="ArgumentException">The span does not hold rows × columns values, or a value is NaN.</exception>
    public static float[] MinMax(ReadOnlySpan<double> values, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if ((long)rows * columns != values.Length)
        {
            throw new ArgumentException($"A {rows}×{columns} matrix has {(long)rows * columns} values, not {values.Length}.", nameof(values));
        }

        var result = new float[values.Length];
        for (var c = 0; c < columns; c++)
        {
            var min = double.PositiveInfinity;
            var max = double.NegativeInfinity;
            for (var r = 0; r < rows; r++)
            {
                var v = values[(r * columns) + c];
                if (double.IsNaN(v))
                {
                    throw new ArgumentException($"Row {r}, column {c} is NaN; min-max scaling needs numbers.", nameof(values));
                }

                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }

            var range = max - min;
            var scale = 1.0 / (range < 10 * MachineEpsilon ? 1.0 : range);
            var offset = 0.0 - (min * scale);
            for (var r = 0; r < rows; r++)
            {
                result[(r * columns) + c] = (float)((values[(r * columns) + c] * scale) + offset);
            }
        }

        return result;
    }
}
