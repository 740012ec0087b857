using CellVision.Torch;
using CellVision.Torch.Optimizers;

namespace CellVision.Segmentation;

/// <summary>
/// One optimiser step of flood-filling training (spec A.4.5, A.4.7): the mean sigmoid cross-entropy of the updated
/// logits against the soft object mask over the whole batch, every gradient entry clipped, then the optimiser's step.
/// </summary>
internal static class FloodFillTrainingStep
{
    /// <summary>Takes the step and returns its loss; <paramref name="logits"/> receives the updated logits (before the step).</summary>
    /// <param name="network">The network, in training mode.</param>
    /// <param name="optimizer">Its optimiser.</param>
    /// <param name="clip">Gradient entries are clipped to ± this.</param>
    /// <param name="image">batch windows of normalised image.</param>
    /// <param name="seed">batch windows of mask logits.</param>
    /// <param name="target">batch windows of soft labels.</param>
    /// <param name="logits">Receives batch windows of updated logits.</param>
    /// <param name="batch">The number of windows.</param>
    public static double Run(FloodFillNetwork network, Optimizer optimizer, double clip, ReadOnlySpan<float> image, ReadOnlySpan<float> seed, ReadOnlySpan<float> target, Span<float> logits, int batch)
    {
        var (z, y, x) = network.FieldOfView;
        using var scope = DisposeScope.Enter();
        var input = Tensor.Concatenate([Tensor.FromSpan(image, [batch, 1, z, y, x]), Tensor.FromSpan(seed, [batch, 1, z, y, x])], 1);
        var output = network.Forward(input);
        var loss = Losses.BinaryCrossEntropyWithLogits(output, Tensor.FromSpan(target, [batch, 1, z, y, x]));
        optimizer.ZeroGrad();
        loss.Backward();
        if (double.IsFinite(clip))
        {
            GradientClipping.ClipByValue(optimizer.Parameters, clip);
        }

        optimizer.Step();
        using (GradientMode.NoGrad())
        {
            output.Detach().CopyTo(logits);
        }

        var value = loss.ToScalar();
        if (!double.IsFinite(value))
        {
            throw new InvalidOperationException($"The training loss became {value}; lower the learning rate or check the image normalisation.");
        }

        return value;
    }
}
