using CellVision.Torch;
using CellVision.Torch.Modules;

namespace CellVision.Networks;

/// <summary>
/// A multilayer perceptron of <see cref="Linear"/> layers, each followed by <see cref="ReLU"/> and <see cref="Dropout"/>
/// where it is activated. The layers sit in a <see cref="Sequential"/> child named <c>fc_layers</c>, so state-dict keys
/// read <c>fc_layers.{i}.weight</c> and <c>fc_layers.{i}.bias</c> with i counting the parameter-less layers too, as in
/// the PyTorch MLP that common tracking and metric-learning code writes (<c>nn.Sequential(*layers)</c>).
/// </summary>
/// <remarks>
/// The index of a layer's weights therefore depends on which layers are activated and whether dropout is present:
/// with dropout every activated layer takes three slots (Linear, ReLU, Dropout), without it two.
/// </remarks>
public sealed class Mlp : Module<Tensor, Tensor>
{
    /// <summary>Creates the perceptron with PyTorch's default initialisation of each <see cref="Linear"/>, in layer order.</summary>
    /// <param name="inputSize">Features per input row.</param>
    /// <param name="layerSizes">Output size of each linear layer, in order; at least one.</param>
    /// <param name="dropout">
    /// Dropout probability after each activated layer, or null for no dropout layer at all. A probability of 0 still
    /// adds the (inactive) layer, which shifts the indices of the following weights.
    /// </param>
    /// <param name="activateLast">
    /// Whether the last layer gets ReLU and dropout too. Layers before it always do. (The reference tracking MLP
    /// activates every layer whose width is not 1, i.e. the last one unless it is a single logit.)
    /// </param>
    /// <exception cref="ArgumentException">No layer, or a size below 1.</exception>
    public Mlp(long inputSize, IReadOnlyList<long> layerSizes, double? dropout, bool activateLast = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentNullException.ThrowIfNull(layerSizes);
        if (layerSizes.Count == 0 || layerSizes.Any(size => size < 1))
        {
            throw new ArgumentException("An MLP needs at least one layer, each of size ≥ 1.", nameof(layerSizes));
        }

        if (dropout is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout probability must lie in [0, 1].");
        }

        InputSize = inputSize;
        OutputSize = layerSizes[^1];
        Dropout = dropout;
        var layers = new Sequential();
        var width = inputSize;
        for (var i = 0; i < layerSizes.Count; i++)
        {
            layers.Append(new Linear(width, layerSizes[i]));
            if (i < layerSizes.Count - 1 || activateLast)
            {
                layers.Append(new ReLU());
                if (dropout is { } p)
                {
                    layers.Append(new Torch.Modules.Dropout(p));
                }
            }

            width = layerSizes[i];
        }

        Layers = RegisterModule("fc_layers", layers);
    }

    /// <summary>Features per input row.</summary>
    public long InputSize { get; }

    /// <summary>Features per output row (the last layer's size).</summary>
    public long OutputSize { get; }

    /// <summary>Dropout probability after activated layers, or null when there are no dropout layers.</summary>
    public double? Dropout { get; }

    /// <summary>The layers, in order (the <c>fc_layers</c> child).</summary>
    public Sequential Layers { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Layers.Forward(input);
}
