namespace CellVision.Torch.Modules;

/// <summary><c>max(x, 0)</c>, as <c>nn.ReLU</c>.</summary>
/// <param name="inPlace">
/// Overwrite the input instead of allocating the result, as <c>nn.ReLU(inplace=True)</c>: the same values with one
/// volume-sized allocation less per call. Use it only where nothing else reads the input afterwards.
/// </param>
public sealed class ReLU(bool inPlace = false) : Module<Tensor, Tensor>
{
    /// <summary>Whether the input is overwritten.</summary>
    public bool InPlace { get; } = inPlace;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return InPlace ? input.ReluInPlace() : input.Relu();
    }
}

/// <summary>Leaky ReLU, as <c>nn.LeakyReLU</c>.</summary>
/// <param name="negativeSlope">Slope for negative inputs (PyTorch default 0.01).</param>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module<Tensor, Tensor>
{
    /// <summary>Slope for negative inputs.</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.LeakyRelu(NegativeSlope);
    }
}

/// <summary>Hyperbolic tangent, as <c>nn.Tanh</c>.</summary>
public sealed class Tanh : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Tanh();
    }
}

/// <summary>Dropout, as <c>nn.Dropout</c>: active only in training mode.</summary>
/// <param name="probability">Probability of zeroing an element (PyTorch default 0.5).</param>
public sealed class Dropout(double probability = 0.5) : Module<Tensor, Tensor>
{
    /// <summary>Probability of zeroing an element.</summary>
    public double Probability { get; } = probability is >= 0 and <= 1
        ? probability
        : throw new ArgumentOutOfRangeException(nameof(probability), probability, "Dropout probability must lie in [0, 1].");

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, Probability, IsTraining);
}
