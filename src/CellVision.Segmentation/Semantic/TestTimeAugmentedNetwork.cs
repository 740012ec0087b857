namespace CellVision.Segmentation;

/// <summary>
/// Wraps a network so that each block is predicted under every combination of the chosen mirrors and transpose, each
/// output mapped back to the block's frame and the logits averaged. A valid-convolution U-Net fed a valid input size is
/// equivariant to these maps up to its weights, so the variants predict the same voxels.
/// </summary>
public sealed class TestTimeAugmentedNetwork : ISemanticNetwork
{
    private readonly ISemanticNetwork inner;
    private readonly SemanticTestTimeAugmentation[] variants;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The network.</param>
    /// <param name="augmentation">The maps to average over; <see cref="SemanticTestTimeAugmentation.None"/> predicts once.</param>
    public TestTimeAugmentedNetwork(ISemanticNetwork inner, SemanticTestTimeAugmentation augmentation)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if ((augmentation & ~(SemanticTestTimeAugmentation.MirrorZ | SemanticTestTimeAugmentation.InPlane)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(augmentation), augmentation, "Unknown test-time augmentation flags.");
        }

        this.inner = inner;
        Augmentation = augmentation;
        variants = [.. Enumerable.Range(0, 16).Select(v => (SemanticTestTimeAugmentation)v).Where(v => (v & ~augmentation) == 0)];
    }

    /// <summary>The maps averaged over.</summary>
    public SemanticTestTimeAugmentation Augmentation { get; }

    /// <summary>How many predictions each block costs.</summary>
    public int VariantCount => variants.Length;

    /// <inheritdoc />
    public int Classes => inner.Classes;

    /// <inheritdoc />
    public (int Z, int Y, int X) OutputSize((int Z, int Y, int X) inputSize) => inner.OutputSize(inputSize);

    /// <inheritdoc />
    public void PredictLogits(ReadOnlySpan<float> input, (int Z, int Y, int X) inputSize, Span<float> logits)
    {
        var outputSize = inner.OutputSize(inputSize);
        var outputLength = outputSize.Z * outputSize.Y * outputSize.X;
        if (logits.Length != Classes * outputLength)
        {
            throw new ArgumentException($"The logits need {Classes} × {outputLength} values; got {logits.Length}.", nameof(logits));
        }

        logits.Clear();
        var image = new float[input.Length];
        var variantLogits = new float[logits.Length];
        foreach (var variant in variants)
        {
            var transposed = (variant & SemanticTestTimeAugmentation.TransposeYX) != 0;
            var variantInput = transposed ? (inputSize.Z, inputSize.X, inputSize.Y) : inputSize;
            Gather(input, variantInput, variant, image);
            inner.PredictLogits(image, variantInput, variantLogits);
            var variantOutput = transposed ? (outputSize.Z, outputSize.X, outputSize.Y) : outputSize;
            for (var c = 0; c < Classes; c++)
            {
                ScatterAdd(variantLogits.AsSpan(c * outputLength, outputLength), variantOutput, variant, logits.Slice(c * outputLength, outputLength));
            }
        }

        var scale = 1f / variants.Length;
        foreach (ref var value in logits)
        {
            value *= scale;
        }
    }

    // The voxel of the untransformed block that voxel (z, y, x) of the transformed block (of the given size) shows:
    // the mirrors are undone first, then the transpose.
    private static int SourceIndex(int z, int y, int x, (int Z, int Y, int X) size, SemanticTestTimeAugmentation variant)
    {
        if ((variant & SemanticTestTimeAugmentation.MirrorZ) != 0)
        {
            z = size.Z - 1 - z;
        }

        if ((variant & SemanticTestTimeAugmentation.MirrorY) != 0)
        {
            y = size.Y - 1 - y;
        }

        if ((variant & SemanticTestTimeAugmentation.MirrorX) != 0)
        {
            x = size.X - 1 - x;
        }

        return (variant & SemanticTestTimeAugmentation.TransposeYX) != 0
            ? (((z * size.X) + x) * size.Y) + y
            : (((z * size.Y) + y) * size.X) + x;
    }

    private static void Gather(ReadOnlySpan<float> source, (int Z, int Y, int X) size, SemanticTestTimeAugmentation variant, Span<float> target)
    {
        var i = 0;
        for (var z = 0; z < size.Z; z++)
        {
            for (var y = 0; y < size.Y; y++)
            {
                for (var x = 0; x < size.X; x++)
                {
                    target[i++] = source[SourceIndex(z, y, x, size, variant)];
                }
            }
        }
    }

    private static void ScatterAdd(ReadOnlySpan<float> source, (int Z, int Y, int X) size, SemanticTestTimeAugmentation variant, Span<float> target)
    {
        var i = 0;
        for (var z = 0; z < size.Z; z++)
        {
            for (var y = 0; y < size.Y; y++)
            {
                for (var x = 0; x < size.X; x++)
                {
                    target[SourceIndex(z, y, x, size, variant)] += source[i++];
                }
            }
        }
    }
}
