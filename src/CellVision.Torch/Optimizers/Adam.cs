namespace CellVision.Torch.Optimizers;

/// <summary>
/// Adam (Kingma and Ba), as <c>torch.optim.Adam</c>; with <see cref="AdamOptions.Decoupled"/> it is AdamW
/// (Loshchilov and Hutter), as <c>torch.optim.AdamW</c>. Updates equal PyTorch's to float rounding.
/// </summary>
public class Adam : Optimizer
{
    private readonly Tensor?[] firstMoments;
    private readonly Tensor?[] secondMoments;
    private readonly Tensor?[] maxSecondMoments;
    private readonly long[] steps;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">Parameters to optimise.</param>
    /// <param name="options">Hyper-parameters; null for PyTorch's Adam defaults.</param>
    public Adam(IEnumerable<Tensor> parameters, AdamOptions? options = null)
        : base(parameters, (options ?? new AdamOptions()).LearningRate)
    {
        Options = options ?? new AdamOptions();
        Options.Validate();
        firstMoments = new Tensor?[Parameters.Count];
        secondMoments = new Tensor?[Parameters.Count];
        maxSecondMoments = new Tensor?[Parameters.Count];
        steps = new long[Parameters.Count];
    }

    /// <summary>The hyper-parameters (the learning rate lives in <see cref="Optimizer.LearningRate"/>).</summary>
    public AdamOptions Options { get; }

    /// <inheritdoc />
    protected override void Update(int index, Tensor parameter, Tensor gradient)
    {
        var (beta1, beta2) = (Options.Beta1, Options.Beta2);
        var lr = LearningRate;
        var step = ++steps[index];
        var exponentialAverage = firstMoments[index] ??= ZerosLike(parameter);
        var exponentialAverageSquared = secondMoments[index] ??= ZerosLike(parameter);

        if (Options.WeightDecay != 0)
        {
            if (Options.Decoupled)
            {
                parameter.MultiplyInPlace(1 - (lr * Options.WeightDecay));
            }
            else
            {
                gradient = gradient.Add(parameter, Options.WeightDecay);
            }
        }

        exponentialAverage.MultiplyInPlace(beta1).AddInPlace(gradient, 1 - beta1);
        exponentialAverageSquared.MultiplyInPlace(beta2).AddProductInPlace(gradient, gradient, 1 - beta2);

        var biasCorrection1 = 1 - Math.Pow(beta1, step);
        var biasCorrection2 = 1 - Math.Pow(beta2, step);
        var stepSize = lr / biasCorrection1;
        var biasCorrection2Sqrt = Math.Sqrt(biasCorrection2);
        var epsilon = Options.TensorFlowEpsilon ? Options.Epsilon / biasCorrection2Sqrt : Options.Epsilon;

        Tensor denominator;
        if (Options.AmsGrad)
        {
            var max = maxSecondMoments[index] ??= ZerosLike(parameter);
            using var larger = Tensor.Where(max > exponentialAverageSquared, max, exponentialAverageSquared);
            max.CopyFrom(larger);
            denominator = (max.Sqrt() / biasCorrection2Sqrt).AddInPlace(epsilon);
        }
        else
        {
            denominator = (exponentialAverageSquared.Sqrt() / biasCorrection2Sqrt).AddInPlace(epsilon);
        }

        parameter.AddQuotientInPlace(exponentialAverage, denominator, -stepSize);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        foreach (var tensor in firstMoments.Concat(secondMoments).Concat(maxSecondMoments))
        {
            tensor?.Dispose();
        }
    }
}

/// <summary>AdamW: Adam with decoupled weight decay, as <c>torch.optim.AdamW</c> (default weight decay 0.01).</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">Parameters to optimise.</param>
    /// <param name="options">Hyper-parameters; null for PyTorch's AdamW defaults. <see cref="AdamOptions.Decoupled"/> is forced on.</param>
    public AdamW(IEnumerable<Tensor> parameters, AdamOptions? options = null)
        : base(parameters, (options ?? new AdamOptions { WeightDecay = 0.01 }) with { Decoupled = true })
    {
    }
}
