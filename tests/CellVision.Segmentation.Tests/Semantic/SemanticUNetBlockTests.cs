using CellVision.Core.Volumes;
using CellVision.Networks;
using CellVision.Segmentation;
using CellVision.Torch;

namespace CellVision.Segmentation.Tests.Semantic;

/// <summary>
/// Block-wise prediction with a real U-Net reproduces the whole-volume prediction where the network is translation
/// equivariant at the block stride. With pooling that holds only for strides that are multiples of the pooling, which
/// incasem's 110-voxel stride is not (its overlaps differ slightly, as the reference's do); this network pools by 1.
/// </summary>
public sealed class SemanticUNetBlockTests
{
    [Fact]
    public void Blocks_aligned_with_the_pooling_grid_equal_one_forward_over_the_whole_volume()
    {
        var options = new SemanticUNetOptions
        {
            Classes = 3,
            UNet = new ValidUNetOptions
            {
                FeatureMaps = 3,
                DownsampleFactors = [new Size3(1, 1, 1), new Size3(1, 1, 1)],
                DownKernelSizes = [[new(1, 3, 3), new(1, 3, 3)], [new(1, 3, 3), new(1, 3, 3)], [new(3, 3, 3), new(1, 3, 3)]],
                UpKernelSizes = [[new(1, 3, 3), new(1, 3, 3)], [new(1, 3, 3), new(1, 3, 3)]],
            },
        };
        using var network = new SemanticUNet(options);
        network.Eval();

        var blockInput = (Z: 5, Y: 30, X: 30);
        var blockOutput = network.GetOutputSize(blockInput);
        var context = (blockInput.Y - blockOutput.Y) / 2;
        var whole = (Z: 5 + 2, Y: (3 * blockOutput.Y) + (2 * context), X: (2 * blockOutput.X) + (2 * context));
        var wholeOutput = network.GetOutputSize(whole);
        using var raw = new Volume<byte>(whole.Z, whole.Y, whole.X);
        new Random(4).NextBytes(raw.Span);
        var normalized = new float[raw.Length];
        SemanticUNet.NormalizeInput(raw.Span, normalized);
        var expected = new float[3 * wholeOutput.Z * wholeOutput.Y * wholeOutput.X];
        network.PredictLogits(normalized, whole, expected);
        SemanticPredictor.Softmax(expected, 3, new uint[expected.Length / 3]);

        using var probabilities = new Volume<float>(whole.Z, whole.Y, whole.X);
        var maps = Enumerable.Range(0, 3).Select(_ => new Volume<float>(whole.Z, whole.Y, whole.X)).ToArray();
        try
        {
            var grid = SemanticPredictor.Predict(new InMemoryChunkedVolume<byte>(raw), network, new SemanticPredictionTargets([.. maps.Select(m => new InMemoryChunkedVolume<float>(m))], null), new SemanticPredictionOptions { InputSize = blockInput });

            Assert.Equal(3 * 3 * 2, grid.Count);
            var (cz, cy, cx) = ((whole.Z - wholeOutput.Z) / 2, (whole.Y - wholeOutput.Y) / 2, (whole.X - wholeOutput.X) / 2);
            var worst = 0.0;
            var n = wholeOutput.Z * wholeOutput.Y * wholeOutput.X;
            for (var c = 0; c < 3; c++)
            {
                for (var z = 0; z < wholeOutput.Z; z++)
                {
                    for (var y = 0; y < wholeOutput.Y; y++)
                    {
                        for (var x = 0; x < wholeOutput.X; x++)
                        {
                            var value = maps[c][z + cz, y + cy, x + cx];
                            worst = Math.Max(worst, Math.Abs(value - expected[(c * n) + (((z * wholeOutput.Y) + y) * wholeOutput.X) + x]));
                        }
                    }
                }
            }

            Assert.True(worst < 1e-5, $"blocks differ from the whole volume by {worst:E2}");
        }
        finally
        {
            foreach (var map in maps)
            {
                map.Dispose();
            }
        }
    }
}
