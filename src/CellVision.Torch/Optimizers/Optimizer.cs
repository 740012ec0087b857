namespace CellVision.Torch.Optimizers;

/// <summary>
/// Updates parameters from their gradients, with PyTorch's exact single-tensor update formulas. The learning rate can
/// be changed between steps (for schedules). Optimisers own their state tensors; dispose them when done.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private bool disposed;

    /// <summary>Creates the optimiser over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">Tensors that require gradients; the caller keeps ownership.</param>
    /// <param name="learningRate">Step size.</param>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0)
        {
            throw new ArgumentException("The optimiser got an empty parameter list.", nameof(parameters));
        }

        LearningRate = learningRate;
    }

    /// <summary>The parameters being optimised.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Step size; may be changed between steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double LearningRate
    {
        get;
        set
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be a finite number ≥ 0.");
            }

            field = value;
        }
    }

    /// <summary>Number of steps taken.</summary>
    public long StepCount { get; private set; }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        StepCount++;
        using var scope = DisposeScope.Enter();
        using var noGrad = GradientMode.NoGrad();
        for (var i = 0; i < Parameters.Count; i++)
        {
            var grad = Parameters[i].Grad;
            if (grad is not null)
            {
                Update(i, Parameters[i], grad);
            }
        }
    }

    /// <summary>Removes every parameter's gradient (as <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in Parameters)
        {
            parameter.ClearGrad();
        }
    }

    /// <summary>Releases the optimiser state.</summary>
    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            Dispose(true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Releases state tensors.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected abstract void Dispose(bool disposing);

    /// <summary>Updates one parameter in place. Runs inside a dispose scope with autograd off.</summary>
    /// <param name="index">Position of the parameter in <see cref="Parameters"/>.</param>
    /// <param name="parameter">The parameter.</param>
    /// <param name="gradient">Its gradient.</param>
    protected abstract void Update(int index, Tensor parameter, Tensor gradient);

    /// <summary>Creates a state tensor that outlives the step.</summary>
    /// <param name="like">Tensor whose shape, type and device to copy.</param>
    /// <returns>A zero tensor owned by the optimiser.</returns>
    protected static Tensor ZerosLike(Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        return Tensor.Zeros(like.Shape, like.ScalarType, like.Device).DetachFromDisposeScope();
    }
}
