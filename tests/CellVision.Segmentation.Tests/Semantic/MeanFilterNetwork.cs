using CellVision.Segmentation;

namespace CellVision.Segmentation.Tests.Semantic;

/// <summary>
/// A translation-equivariant stand-in for a valid-convolution network: <c>layers</c> valid 3×3×3 box means shrink the
/// block by one voxel per side each, and class c's logit is (c − 1) · gain · mean, so class 0 wins in dark voxels and
/// the last class in bright ones. Its whole-volume output is therefore exactly what every block must reproduce.
/// </summary>
internal sealed class MeanFilterNetwork(int classes, int layers, float gain) : ISemanticNetwork
{
    public int Classes => classes;

    public int Calls { get; private set; }

    public (int Z, int Y, int X) OutputSize((int Z, int Y, int X) inputSize)
    {
        var shrink = 2 * layers;
        if (inputSize.Z <= shrink || inputSize.Y <= shrink || inputSize.X <= shrink)
        {
            throw new ArgumentException($"The input must exceed {shrink} voxels along each axis.", nameof(inputSize));
        }

        return (inputSize.Z - shrink, inputSize.Y - shrink, inputSize.X - shrink);
    }

    public void PredictLogits(ReadOnlySpan<float> input, (int Z, int Y, int X) inputSize, Span<float> logits)
    {
        Calls++;
        var values = input.ToArray();
        var size = inputSize;
        for (var layer = 0; layer < layers; layer++)
        {
            (values, size) = (Mean(values, size), (size.Z - 2, size.Y - 2, size.X - 2));
        }

        for (var c = 0; c < classes; c++)
        {
            for (var i = 0; i < values.Length; i++)
            {
                logits[(c * values.Length) + i] = (c - 1) * gain * values[i];
            }
        }
    }

    /// <summary>The whole volume's probabilities, computed in one piece, for comparison.</summary>
    public float[] WholeVolume(float[] image, (int Z, int Y, int X) size, out (int Z, int Y, int X) outputSize)
    {
        outputSize = OutputSize(size);
        var logits = new float[classes * outputSize.Z * outputSize.Y * outputSize.X];
        PredictLogits(image, size, logits);
        SemanticPredictor.Softmax(logits, classes, new uint[logits.Length / classes]);
        return logits;
    }

    private static float[] Mean(float[] values, (int Z, int Y, int X) size)
    {
        var (d, h, w) = (size.Z - 2, size.Y - 2, size.X - 2);
        var result = new float[d * h * w];
        for (var z = 0; z < d; z++)
        {
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var sum = 0f;
                    for (var dz = 0; dz < 3; dz++)
                    {
                        for (var dy = 0; dy < 3; dy++)
                        {
                            for (var dx = 0; dx < 3; dx++)
                            {
                                sum += values[((((z + dz) * size.Y) + y + dy) * size.X) + x + dx];
                            }
                        }
                    }

                    result[(((z * h) + y) * w) + x] = sum / 27f;
                }
            }
        }

        return result;
    }
}
