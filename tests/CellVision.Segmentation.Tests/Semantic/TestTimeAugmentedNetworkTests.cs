using CellVision.Core.Volumes;
using CellVision.Segmentation;

namespace CellVision.Segmentation.Tests.Semantic;

public sealed class TestTimeAugmentedNetworkTests
{
    [Fact]
    public void An_equivariant_network_gives_the_same_logits_under_every_map()
    {
        var size = (Z: 6, Y: 9, X: 9);
        var image = Image(size);
        var plain = new MeanFilterNetwork(classes: 3, layers: 1, gain: 4);
        var augmented = new TestTimeAugmentedNetwork(new MeanFilterNetwork(classes: 3, layers: 1, gain: 4), SemanticTestTimeAugmentation.MirrorZ | SemanticTestTimeAugmentation.InPlane);
        var output = plain.OutputSize(size);
        var expected = new float[3 * output.Z * output.Y * output.X];
        var actual = new float[expected.Length];

        plain.PredictLogits(image, size, expected);
        augmented.PredictLogits(image, size, actual);

        Assert.Equal(16, augmented.VariantCount);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f);
        }
    }

    [Fact]
    public void Each_variants_output_is_mapped_back_before_averaging()
    {
        // The stand-in's logit is the input voxel plus its own output column x (or row y for class 1): not equivariant, so
        // a wrong inverse map shows. Mirroring X averages x with (W − 1 − x); the transpose trades the row for the column.
        var size = (Z: 2, Y: 4, X: 5);
        var image = Image(size);
        var network = new TestTimeAugmentedNetwork(new RampNetwork(), SemanticTestTimeAugmentation.MirrorX | SemanticTestTimeAugmentation.TransposeYX);
        var logits = new float[2 * 2 * 4 * 5];

        network.PredictLogits(image, size, logits);

        for (var z = 0; z < 2; z++)
        {
            for (var y = 0; y < 4; y++)
            {
                for (var x = 0; x < 5; x++)
                {
                    var i = (((z * 4) + y) * 5) + x;
                    // Untransposed variants add x or (4 − x) for class 0 and y for class 1; transposed ones see the
                    // block's y as their column and x as their row, mirrored along their X (the block's Y).
                    var class0 = image[i] + ((x + (4 - x) + y + (3 - y)) / 4f);
                    var class1 = image[i] + ((y + y + x + x) / 4f);
                    Assert.Equal(class0, logits[i], 1e-5f);
                    Assert.Equal(class1, logits[40 + i], 1e-5f);
                }
            }
        }
    }

    [Fact]
    public void The_predictor_averages_the_variants_of_every_block()
    {
        var size = (Z: 8, Y: 20, X: 20);
        var image = Image(size);
        using var raw = new Volume<byte>(size.Z, size.Y, size.X);
        for (var i = 0; i < raw.Length; i++)
        {
            raw.Span[i] = (byte)(image[i] * 255);
        }

        float[] Predict(MeanFilterNetwork network, SemanticTestTimeAugmentation augmentation)
        {
            using var other = new Volume<float>(size.Z, size.Y, size.X);
            using var probabilities = new Volume<float>(size.Z, size.Y, size.X);
            SemanticPredictor.Predict(new InMemoryChunkedVolume<byte>(raw), network,
                new SemanticPredictionTargets([new InMemoryChunkedVolume<float>(other), new InMemoryChunkedVolume<float>(probabilities)], null),
                new SemanticPredictionOptions { InputSize = (8, 12, 12), TestTimeAugmentation = augmentation });
            return probabilities.Span.ToArray();
        }

        var augmentedNetwork = new MeanFilterNetwork(classes: 2, layers: 2, gain: 6);
        var augmented = Predict(augmentedNetwork, SemanticTestTimeAugmentation.InPlane);
        var plain = Predict(new MeanFilterNetwork(classes: 2, layers: 2, gain: 6), SemanticTestTimeAugmentation.None);

        Assert.Equal(4 * 8, augmentedNetwork.Calls);
        Assert.Contains(plain, p => p > 0);
        for (var i = 0; i < plain.Length; i++)
        {
            Assert.Equal(plain[i], augmented[i], 1e-5f);
        }
    }

    private static float[] Image((int Z, int Y, int X) size)
    {
        var random = new Random(5);
        return [.. Enumerable.Range(0, size.Z * size.Y * size.X).Select(_ => (float)random.NextDouble())];
    }

    private sealed class RampNetwork : ISemanticNetwork
    {
        public int Classes => 2;

        public (int Z, int Y, int X) OutputSize((int Z, int Y, int X) inputSize) => inputSize;

        public void PredictLogits(ReadOnlySpan<float> input, (int Z, int Y, int X) inputSize, Span<float> logits)
        {
            var length = input.Length;
            for (var z = 0; z < inputSize.Z; z++)
            {
                for (var y = 0; y < inputSize.Y; y++)
                {
                    for (var x = 0; x < inputSize.X; x++)
                    {
                        var i = (((z * inputSize.Y) + y) * inputSize.X) + x;
                        logits[i] = input[i] + x;
                        logits[length + i] = input[i] + y;
                    }
                }
            }
        }
    }
}
