using CellVision.Torch;

namespace CellVision.Networks;

/// <summary>
/// The multi-similarity loss with its miner, as pytorch-metric-learning 1.3's <c>MultiSimilarityLoss</c> (cosine
/// similarity, mean over anchors) with <c>MultiSimilarityMiner</c>. With S the cosine similarities of the batch, the miner
/// keeps a positive pair (same label, i ≠ p) when S_ip − ε &lt; max_n S_in and a negative pair when S_in + ε &gt; min_p S_ip;
/// each anchor then costs (1/α)·log(1 + Σ_p exp(α(λ − S_ip))) + (1/β)·log(1 + Σ_n exp(β(S_in − λ))) over its kept pairs,
/// and the loss is the mean over all anchors (0 for one with no kept pair).
/// </summary>
/// <remarks>As the library does, a batch with at most one kept positive and at most one kept negative pair costs 0.</remarks>
public sealed class MultiSimilarityLoss
{
    /// <summary>Weight of the positive term (default 2).</summary>
    public double Alpha { get; init; } = 2;

    /// <summary>Weight of the negative term (default 50).</summary>
    public double Beta { get; init; } = 50;

    /// <summary>The similarity margin λ (default 0.5).</summary>
    public double Base { get; init; } = 0.5;

    /// <summary>The miner's ε (default 0.1).</summary>
    public double MinerEpsilon { get; init; } = 0.1;

    /// <summary>Mines the informative pairs of a batch.</summary>
    /// <param name="embeddings">[N, K]; they are L2-normalised before the similarities are taken.</param>
    /// <param name="labels">N class labels.</param>
    /// <returns>Row-major N×N masks of the kept positive and negative pairs (anchor first).</returns>
    public (bool[] Positives, bool[] Negatives) Mine(Tensor embeddings, IReadOnlyList<long> labels)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        var n = labels.Count;
        if (embeddings.Rank != 2 || embeddings.Shape[0] != n)
        {
            throw new ArgumentException($"Expected [{n}, K] embeddings for {n} labels, got [{string.Join(", ", embeddings.Shape)}].", nameof(embeddings));
        }

        using var scope = DisposeScope.Enter();
        using var noGrad = GradientMode.NoGrad();
        var similarity = Similarities(embeddings.Detach()).To(ScalarType.Float32).ToArray<float>();
        var epsilon = (float)MinerEpsilon;
        var positives = new bool[n * n];
        var negatives = new bool[n * n];
        for (var i = 0; i < n; i++)
        {
            var hardestNegative = float.NegativeInfinity;
            var easiestPositive = float.PositiveInfinity;
            for (var j = 0; j < n; j++)
            {
                var s = similarity[(i * n) + j];
                if (labels[j] != labels[i])
                {
                    hardestNegative = Math.Max(hardestNegative, s);
                }
                else if (j != i)
                {
                    easiestPositive = Math.Min(easiestPositive, s);
                }
            }

            for (var j = 0; j < n; j++)
            {
                var s = similarity[(i * n) + j];
                if (labels[j] != labels[i])
                {
                    negatives[(i * n) + j] = s + epsilon > easiestPositive;
                }
                else if (j != i)
                {
                    positives[(i * n) + j] = s - epsilon < hardestNegative;
                }
            }
        }

        return (positives, negatives);
    }

    /// <summary>Mines the batch and computes the loss, differentiable with respect to <paramref name="embeddings"/>.</summary>
    /// <param name="embeddings">[N, K].</param>
    /// <param name="labels">N class labels.</param>
    /// <returns>The scalar loss.</returns>
    public Tensor Compute(Tensor embeddings, IReadOnlyList<long> labels)
    {
        var (positives, negatives) = Mine(embeddings, labels);
        using var scope = DisposeScope.Enter();
        if (positives.Count(k => k) <= 1 && negatives.Count(k => k) <= 1)
        {
            return scope.MoveToOuter(embeddings.Sum() * 0.0);
        }

        long n = labels.Count;
        var similarity = Similarities(embeddings);
        var positiveTerm = LogOnePlusSumExp((Base - similarity) * Alpha, positives, n) / Alpha;
        var negativeTerm = LogOnePlusSumExp((similarity - Base) * Beta, negatives, n) / Beta;
        return scope.MoveToOuter((positiveTerm + negativeTerm).Mean());
    }

    private static Tensor Similarities(Tensor embeddings)
    {
        using var scope = DisposeScope.Enter();
        var norms = embeddings.Pow(2).Sum([1], keepDimension: true).Sqrt().Clamp(min: 1e-12);
        var unit = embeddings / norms;
        return scope.MoveToOuter(unit.MatrixMultiply(unit.Transpose(0, 1)));
    }

    // log(1 + Σ_kept exp(x)) per row, stably: the row maximum (with the 1's exponent 0) is taken out first.
    private static Tensor LogOnePlusSumExp(Tensor values, bool[] keep, long n)
    {
        using var scope = DisposeScope.Enter();
        var mask = Tensor.FromSpan<bool>(keep, [n, n]).To(values.Device);
        var masked = Tensor.Where(mask, values, Tensor.Full([n, n], double.NegativeInfinity, values.ScalarType, values.Device));
        var withOne = Tensor.Concatenate([masked, Tensor.Zeros([n, 1], values.ScalarType, values.Device)], 1);
        var shift = withOne.Detach().Max(1, keepDimension: true).Values;
        var sum = (withOne - shift).Exp().Sum([1]);
        return scope.MoveToOuter(sum.Log() + shift.Squeeze(1));
    }
}
