using CellVision.Torch;
using CellVision.Torch.Optimizers;

namespace CellVision.Segmentation;

/// <summary>One optimiser step of incasem's training (spec B.4): balanced, masked cross-entropy, then Adam.</summary>
public static class SemanticTrainingStep
{
    /// <summary>incasem's optimiser: <c>torch.optim.Adam</c> with the options' learning rate and L2 weight decay.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="options">The settings; null for incasem's.</param>
    /// <returns>The optimiser; dispose it after training.</returns>
    public static Adam CreateOptimizer(SemanticUNet network, SemanticTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new SemanticTrainingOptions();
        options.Validate();
        return new Adam(network.Parameters(), new AdamOptions { LearningRate = options.LearningRate, WeightDecay = options.WeightDecay });
    }

    /// <summary>Runs the network on one block, takes one optimiser step and returns the loss before the step.</summary>
    /// <param name="network">The network, in training mode.</param>
    /// <param name="optimizer">Its optimiser.</param>
    /// <param name="input">The normalised input block (see <see cref="SemanticUNet.NormalizeInput"/>), Z, Y, X order, one channel.</param>
    /// <param name="inputSize">The block's size.</param>
    /// <param name="labels">The class of each output voxel (the output size is <see cref="SemanticUNet.GetOutputSize"/>).</param>
    /// <param name="mask">Whether each output voxel counts.</param>
    /// <param name="options">The balancing clips; null for incasem's.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">A span does not match the sizes, or the size does not fit the network.</exception>
    /// <exception cref="InvalidOperationException">The loss is not finite.</exception>
    public static double Run(SemanticUNet network, Optimizer optimizer, ReadOnlySpan<float> input, (int Z, int Y, int X) inputSize, ReadOnlySpan<int> labels, ReadOnlySpan<bool> mask, SemanticTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        options ??= new SemanticTrainingOptions();
        options.Validate();
        if (network.Options.UNet.InputChannels != 1)
        {
            throw new ArgumentException($"This step feeds one input channel; the network takes {network.Options.UNet.InputChannels}.", nameof(network));
        }

        var (z, y, x) = network.GetOutputSize(inputSize);
        if (input.Length != (long)inputSize.Z * inputSize.Y * inputSize.X)
        {
            throw new ArgumentException($"The input holds {input.Length} values for a {inputSize.Z}×{inputSize.Y}×{inputSize.X} block.", nameof(input));
        }

        if (labels.Length != z * y * x)
        {
            throw new ArgumentException($"The labels hold {labels.Length} values for the {z}×{y}×{x} output.", nameof(labels));
        }

        var scales = new float[labels.Length];
        SemanticLoss.BalanceScales(labels, mask, network.Options.Classes, scales, options.ClipMin, options.ClipMax);
        var classes = new long[labels.Length];
        var maskValues = new float[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            classes[i] = labels[i];
            maskValues[i] = mask[i] ? 1f : 0f;
        }

        using var scope = DisposeScope.Enter();
        var device = network.Parameters().First().Device;
        var logits = network.Forward(Tensor.FromSpan(input, [1, 1, inputSize.Z, inputSize.Y, inputSize.X]).To(device));
        var loss = SemanticLoss.Compute(
            logits,
            Tensor.FromSpan<long>(classes, [1, z, y, x]).To(device),
            Tensor.FromSpan<float>(maskValues, [1, z, y, x]).To(device),
            Tensor.FromSpan<float>(scales, [1, z, y, x]).To(device));
        optimizer.ZeroGrad();
        loss.Backward();
        optimizer.Step();
        var value = loss.ToScalar();
        if (!double.IsFinite(value))
        {
            throw new InvalidOperationException($"The training loss became {value}; lower the learning rate or check the input normalisation.");
        }

        return value;
    }
}
