using CellVision.Torch;

namespace CellVision.Segmentation;

/// <summary>
/// incasem's training loss (spec B.4): per-voxel cross-entropy of the class logits against the labels, times the mask,
/// times gunpowder's <c>BalanceLabels</c> scales, summed and divided by the sum of the scales.
/// </summary>
public static class SemanticLoss
{
    /// <summary>incasem's lower clip of a class fraction (gunpowder's default is 0.05).</summary>
    public const double DefaultClipMin = 0.01;

    /// <summary>incasem's upper clip of a class fraction (gunpowder's default is 0.95).</summary>
    public const double DefaultClipMax = 0.99;

    /// <summary>
    /// gunpowder's <c>BalanceLabels</c> for K classes: within the masked-in voxels, each class present has the fraction
    /// <c>count / masked-in</c>, clipped to [<paramref name="clipMin"/>, <paramref name="clipMax"/>], and the weight
    /// <c>(1 / K) / fraction</c> (computed in double, as NumPy does); a class absent from the masked-in voxels has weight
    /// 0. A voxel's scale is its mask (1 or 0) times the weight of its label, rounded to float32.
    /// </summary>
    /// <param name="labels">Class of each voxel, in [0, <paramref name="classes"/>).</param>
    /// <param name="mask">Whether each voxel counts.</param>
    /// <param name="classes">K, at least 2.</param>
    /// <param name="scales">Receives one scale per voxel.</param>
    /// <param name="clipMin">Lower clip of a class fraction (incasem: 0.01).</param>
    /// <param name="clipMax">Upper clip of a class fraction (incasem: 0.99).</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label lies outside [0, K), or fewer than 2 classes.</exception>
    public static void BalanceScales(ReadOnlySpan<int> labels, ReadOnlySpan<bool> mask, int classes, Span<float> scales, double clipMin = DefaultClipMin, double clipMax = DefaultClipMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (mask.Length != labels.Length || scales.Length != labels.Length)
        {
            throw new ArgumentException($"Give one mask value and one scale per label ({labels.Length}); got {mask.Length} and {scales.Length}.", nameof(mask));
        }

        var counts = new long[classes];
        long maskedIn = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"Voxel {i} has the label {labels[i]}, outside [0, {classes}).");
            }

            if (mask[i])
            {
                counts[labels[i]]++;
                maskedIn++;
            }
        }

        var weights = new double[classes];
        for (var c = 0; c < classes; c++)
        {
            if (counts[c] > 0)
            {
                var fraction = Math.Clamp((double)counts[c] / maskedIn, clipMin, clipMax);
                weights[c] = 1.0 / classes / fraction;
            }
        }

        for (var i = 0; i < labels.Length; i++)
        {
            scales[i] = mask[i] ? (float)weights[labels[i]] : 0f;
        }
    }

    /// <summary>
    /// The loss: <c>Σ CE(logits, labels) · mask · scales / Σ scales</c>. Where every scale is 0 the reference divides 0 by
    /// 0; here the loss is then 0, with zero gradients, so an empty block cannot turn the weights into NaN.
    /// </summary>
    /// <param name="logits">[batch, K, Z, Y, X] class logits.</param>
    /// <param name="labels">[batch, Z, Y, X] int64 classes.</param>
    /// <param name="mask">[batch, Z, Y, X] float32 mask, 1 where a voxel counts.</param>
    /// <param name="scales">[batch, Z, Y, X] float32 scales from <see cref="BalanceScales"/>.</param>
    /// <returns>A scalar tensor, differentiable with respect to <paramref name="logits"/>.</returns>
    public static Tensor Compute(Tensor logits, Tensor labels, Tensor mask, Tensor scales)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(scales);
        using var scope = DisposeScope.Enter();
        var perVoxel = Losses.CrossEntropy(logits, labels, reduction: Reduction.None);
        var total = (perVoxel * mask * scales).Sum();

        // The smallest positive scale is 1/(K·0.99), so the clamp changes nothing but the all-masked-out case.
        var denominator = scales.Sum().Clamp(min: 1e-30);
        return scope.MoveToOuter(total / denominator);
    }
}
