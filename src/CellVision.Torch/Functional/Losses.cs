using CellVision.Torch.Native;

namespace CellVision.Torch;

/// <summary>How a loss combines per-element values. Values equal <c>at::Reduction</c> codes.</summary>
public enum Reduction
{
    /// <summary>No reduction: one value per element.</summary>
    None = 0,

    /// <summary>The (weighted) mean: PyTorch's default.</summary>
    Mean = 1,

    /// <summary>The sum.</summary>
    Sum = 2,
}

/// <summary>Loss functions with PyTorch's exact semantics (<c>torch.nn.functional</c>).</summary>
public static class Losses
{
    /// <summary>Negative log-likelihood of log-probabilities, as <c>F.nll_loss</c>; supports (N, C) and (N, C, d1, ...) inputs.</summary>
    /// <param name="input">Log-probabilities, class dimension 1.</param>
    /// <param name="target">int64 class indices, shape of <paramref name="input"/> without dimension 1.</param>
    /// <param name="weight">(C) class weights, or null.</param>
    /// <param name="reduction">Combination (default weighted mean).</param>
    /// <param name="ignoreIndex">Target value that contributes nothing (PyTorch default −100).</param>
    public static Tensor NegativeLogLikelihood(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, long ignoreIndex = -100) =>
        Tensor.Result(NativeMethods.cvt_nll_loss(Functional.In(input), Functional.In(target), Tensor.HandleOf(weight), (int)reduction, ignoreIndex, out var r), r);

    /// <summary>Cross entropy of unnormalised scores, as <c>F.cross_entropy</c> (class-index targets).</summary>
    /// <param name="input">Scores, class dimension 1.</param>
    /// <param name="target">int64 class indices, or class probabilities of the same shape as <paramref name="input"/>.</param>
    /// <param name="weight">(C) class weights, or null.</param>
    /// <param name="reduction">Combination (default weighted mean).</param>
    /// <param name="ignoreIndex">Target value that contributes nothing (PyTorch default −100).</param>
    /// <param name="labelSmoothing">Amount of smoothing in [0, 1] (default 0).</param>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, long ignoreIndex = -100, double labelSmoothing = 0) =>
        Tensor.Result(NativeMethods.cvt_cross_entropy(Functional.In(input), Functional.In(target), Tensor.HandleOf(weight), (int)reduction, ignoreIndex, labelSmoothing, out var r), r);

    /// <summary>Binary cross entropy of logits, as <c>F.binary_cross_entropy_with_logits</c>.</summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets in [0, 1], same shape.</param>
    /// <param name="weight">Per-element weights (broadcast), or null.</param>
    /// <param name="positiveWeight">Weight of positive examples per class (broadcast over the last dimension), or null.</param>
    /// <param name="reduction">Combination (default mean).</param>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null, Tensor? positiveWeight = null, Reduction reduction = Reduction.Mean) =>
        Tensor.Result(NativeMethods.cvt_bce_with_logits(Functional.In(input), Functional.In(target), Tensor.HandleOf(weight), Tensor.HandleOf(positiveWeight), (int)reduction, out var r), r);

    /// <summary>Absolute error, as <c>F.l1_loss</c>.</summary>
    /// <param name="input">Predictions.</param>
    /// <param name="target">Targets, broadcasting.</param>
    /// <param name="reduction">Combination (default mean).</param>
    public static Tensor L1(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        Tensor.Result(NativeMethods.cvt_l1_loss(Functional.In(input), Functional.In(target), (int)reduction, out var r), r);

    /// <summary>Squared error, as <c>F.mse_loss</c>.</summary>
    /// <param name="input">Predictions.</param>
    /// <param name="target">Targets, broadcasting.</param>
    /// <param name="reduction">Combination (default mean).</param>
    public static Tensor MeanSquaredError(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        Tensor.Result(NativeMethods.cvt_mse_loss(Functional.In(input), Functional.In(target), (int)reduction, out var r), r);

    /// <summary>Smooth L1 (Huber-like) error, as <c>F.smooth_l1_loss</c>: quadratic below <paramref name="beta"/>, linear above.</summary>
    /// <param name="input">Predictions.</param>
    /// <param name="target">Targets, broadcasting.</param>
    /// <param name="reduction">Combination (default mean).</param>
    /// <param name="beta">Where the quadratic part ends (PyTorch default 1).</param>
    public static Tensor SmoothL1(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1) =>
        Tensor.Result(NativeMethods.cvt_smooth_l1_loss(Functional.In(input), Functional.In(target), (int)reduction, beta, out var r), r);
}
