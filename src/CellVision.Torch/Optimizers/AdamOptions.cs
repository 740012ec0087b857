namespace CellVision.Torch.Optimizers;

/// <summary>Hyper-parameters of <see cref="Adam"/> and <see cref="AdamW"/>, with PyTorch's defaults.</summary>
public sealed record AdamOptions
{
    /// <summary>Initial step size (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decay of the gradient average (default 0.9).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay of the squared-gradient average (default 0.999).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the denominator for stability (default 1e-8).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Weight decay (default 0 for Adam; AdamW's default is 0.01).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Use the maximum of past squared-gradient averages (AMSGrad; default false).</summary>
    public bool AmsGrad { get; init; }

    /// <summary>Decouple weight decay from the gradient (AdamW) instead of adding it to the gradient (Adam's L2).</summary>
    public bool Decoupled { get; init; }

    /// <summary>
    /// Add ε to the uncorrected √v, as TensorFlow's <c>AdamOptimizer</c> does (Kingma and Ba's "ε̂" form), instead of to
    /// the bias-corrected √v̂ as PyTorch does (default false). The two differ in early steps where gradients are tiny.
    /// </summary>
    public bool TensorFlowEpsilon { get; init; }

    internal void Validate()
    {
        if (Beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Beta1), Beta1, "Beta1 must lie in [0, 1).");
        if (Beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Beta2), Beta2, "Beta2 must lie in [0, 1).");
        if (Epsilon < 0) throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "Epsilon must be ≥ 0.");
        if (WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Weight decay must be ≥ 0.");
    }
}
