namespace CellVision.Segmentation;

/// <summary>
/// A network that maps a normalised image block to per-class logits over a smaller, centred block (valid
/// convolutions), as incasem's U-Net does. <see cref="SemanticPredictor"/> scans volumes with it.
/// </summary>
public interface ISemanticNetwork
{
    /// <summary>The number of classes, background included (at least 2).</summary>
    int Classes { get; }

    /// <summary>The output block for an input block, Z, Y, X.</summary>
    /// <param name="inputSize">The input block.</param>
    /// <returns>The output block, centred in the input.</returns>
    /// <exception cref="ArgumentException">The network cannot take an input of this size.</exception>
    (int Z, int Y, int X) OutputSize((int Z, int Y, int X) inputSize);

    /// <summary>Computes the logits of one block.</summary>
    /// <param name="input">The normalised image block, C order.</param>
    /// <param name="inputSize">Its size, Z, Y, X.</param>
    /// <param name="logits">Receives <see cref="Classes"/> × the output block, class-major, C order.</param>
    void PredictLogits(ReadOnlySpan<float> input, (int Z, int Y, int X) inputSize, Span<float> logits);
}
