namespace CellVision.Segmentation;

/// <summary>
/// One step of a flood-filling network: for a batch of field-of-view windows of the normalised image and of the object
/// mask (in logits), the updated mask logits. The canvas and the training loop drive any implementation the same way;
/// tests drive them with a deterministic stand-in.
/// </summary>
public interface IFloodFillNetwork
{
    /// <summary>The field of view in voxels, Z, Y, X (33³ for the reference model); input and output windows have this size.</summary>
    (int Z, int Y, int X) FieldOfView { get; }

    /// <summary>The move step in voxels, Z, Y, X (8³ for the reference model).</summary>
    (int Z, int Y, int X) Deltas { get; }

    /// <summary>Computes the updated logits of each window.</summary>
    /// <param name="image">batchSize windows of the normalised image, each Z·Y·X values in C order.</param>
    /// <param name="seed">batchSize windows of the current mask logits, laid out as <paramref name="image"/>.</param>
    /// <param name="logits">Receives batchSize windows of updated logits (the seed plus the network's update).</param>
    /// <param name="batchSize">The number of windows (≥ 1).</param>
    void Predict(ReadOnlySpan<float> image, ReadOnlySpan<float> seed, Span<float> logits, int batchSize);
}
