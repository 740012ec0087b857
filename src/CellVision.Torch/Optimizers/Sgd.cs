namespace CellVision.Torch.Optimizers;

/// <summary>Stochastic gradient descent with optional momentum, dampening, Nesterov and weight decay, as <c>torch.optim.SGD</c>.</summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor?[] momentumBuffers;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">Parameters to optimise.</param>
    /// <param name="learningRate">Step size.</param>
    /// <param name="momentum">Momentum factor (default 0).</param>
    /// <param name="dampening">Dampening of the momentum (default 0).</param>
    /// <param name="weightDecay">L2 penalty (default 0).</param>
    /// <param name="nesterov">Use Nesterov momentum (needs momentum &gt; 0 and no dampening).</param>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires momentum > 0 and zero dampening.", nameof(nesterov));
        }

        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        momentumBuffers = new Tensor?[Parameters.Count];
    }

    /// <summary>Momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>Dampening of the momentum.</summary>
    public double Dampening { get; }

    /// <summary>L2 penalty.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    protected override void Update(int index, Tensor parameter, Tensor gradient)
    {
        var direction = WeightDecay != 0 ? gradient.Add(parameter, WeightDecay) : gradient;
        if (Momentum != 0)
        {
            var buffer = momentumBuffers[index];
            if (buffer is null)
            {
                buffer = momentumBuffers[index] = direction.Clone().Detach().DetachFromDisposeScope();
            }
            else
            {
                buffer.MultiplyInPlace(Momentum).AddInPlace(direction, 1 - Dampening);
            }

            direction = Nesterov ? direction.Add(buffer, Momentum) : buffer;
        }

        parameter.AddInPlace(direction, -LearningRate);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        foreach (var buffer in momentumBuffers)
        {
            buffer?.Dispose();
        }
    }
}
