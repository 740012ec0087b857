namespace CellVision.Networks;

/// <summary>
/// Mean average precision at R (MAP@R) of a set of embeddings retrieving each other, as pytorch-metric-learning 1.3's
/// <c>AccuracyCalculator(avg_of_avgs=True, k="max_bin_count")</c> computes <c>mean_average_precision_at_r</c> when the
/// queries are the reference set itself.
/// </summary>
/// <remarks>
/// Each query ranks the other embeddings by cosine similarity (exact, brute force; on unit vectors the order of the
/// library's L2 k-nearest-neighbour search) and keeps the first k = (largest class size − 1). With R = its class size − 1,
/// the query scores (1/R)·Σ_{i ≤ min(R, k)} [neighbour i shares its label]·P@i, where P@i is the share of the first i
/// neighbours that do. Queries whose class has a single member are left out; the scores are averaged per class and
/// then over classes. Without any class of two, the result is 0.
/// </remarks>
public static class MeanAveragePrecisionAtR
{
    /// <summary>Computes MAP@R.</summary>
    /// <param name="embeddings">Row-major N×K values (they need not be unit length; rows are compared by cosine).</param>
    /// <param name="dimension">K, the values per embedding.</param>
    /// <param name="labels">N class labels.</param>
    /// <returns>MAP@R in [0, 1].</returns>
    /// <exception cref="ArgumentException">The lengths disagree.</exception>
    public static double Compute(ReadOnlySpan<float> embeddings, int dimension, IReadOnlyList<long> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var n = labels.Count;
        if ((long)n * dimension != embeddings.Length)
        {
            throw new ArgumentException($"{n} labels need {(long)n * dimension} embedding values, not {embeddings.Length}.", nameof(embeddings));
        }

        var counts = labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        if (counts.Count == 0 || counts.Values.Max() < 2)
        {
            return 0;
        }

        var k = counts.Values.Max() - 1;
        var unit = Normalised(embeddings, n, dimension);
        var perClass = new Dictionary<long, (double Sum, int Count)>();
        var similarity = new double[n];
        var order = new int[n];
        for (var q = 0; q < n; q++)
        {
            var r = counts[labels[q]] - 1;
            if (r < 1)
            {
                continue;
            }

            var query = unit.AsSpan(q * dimension, dimension);
            for (var j = 0; j < n; j++)
            {
                similarity[j] = j == q ? double.NegativeInfinity : Dot(query, unit.AsSpan(j * dimension, dimension));
                order[j] = j;
            }

            // Most similar first; equal similarities by index, so the result does not depend on the sort.
            Array.Sort(order, (a, b) => similarity[a] != similarity[b] ? similarity[b].CompareTo(similarity[a]) : a.CompareTo(b));
            var hits = 0;
            var precisionSum = 0.0;
            for (var i = 0; i < Math.Min(r, k); i++)
            {
                if (labels[order[i]] == labels[q])
                {
                    hits++;
                    precisionSum += hits / (double)(i + 1);
                }
            }

            var (sum, count) = perClass.GetValueOrDefault(labels[q]);
            perClass[labels[q]] = (sum + (precisionSum / r), count + 1);
        }

        return perClass.Values.Average(v => v.Sum / v.Count);
    }

    private static double[] Normalised(ReadOnlySpan<float> values, int n, int dimension)
    {
        var unit = new double[values.Length];
        for (var i = 0; i < n; i++)
        {
            var row = values.Slice(i * dimension, dimension);
            double norm = 0;
            foreach (var v in row)
            {
                norm += (double)v * v;
            }

            norm = Math.Max(Math.Sqrt(norm), 1e-12);
            for (var c = 0; c < dimension; c++)
            {
                unit[(i * dimension) + c] = row[c] / norm;
            }
        }

        return unit;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
