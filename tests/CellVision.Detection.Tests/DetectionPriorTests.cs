using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.Networks;
using CellVision.Torch;

namespace CellVision.Detection.Tests;

/// <summary>ELEPHANT's self-supervised prior for a fresh detection model (§3.4).</summary>
public sealed class DetectionPriorTests
{
    [Fact]
    public void The_loss_is_the_mean_distance_of_centre_and_foreground_probabilities_to_the_input()
    {
        using var scope = DisposeScope.Enter();

        // Two voxels: probabilities (bg, border, centre) = (0.7, 0.2, 0.1) and (0.1, 0.3, 0.6); inputs 0.2 and 0.8.
        var logp = Tensor.FromSpan<float>([MathF.Log(0.7f), MathF.Log(0.1f), MathF.Log(0.2f), MathF.Log(0.3f), MathF.Log(0.1f), MathF.Log(0.6f)], [1, 3, 1, 1, 2]);
        var input = Tensor.FromSpan<float>([0.2f, 0.8f], [1, 1, 1, 1, 2]);

        // mean(|0.1 − 0.2|, |0.6 − 0.8|) + mean(|0.3 − 0.2|, |0.9 − 0.8|) = 0.15 + 0.1
        Assert.Equal(0.25, DetectionPrior.Loss(logp, input).ToScalar(), 1e-6);
    }

    [Fact]
    public void Three_runs_of_random_crops_train_the_model_in_place()
    {
        TorchRuntime.ManualSeed(1);
        using var model = new DetectionUNet();
        using var first = Blobs(5, 24, 20, seed: 1);
        using var second = Blobs(5, 24, 20, seed: 2);
        var before = Snapshot(model);
        var steps = new List<TrainingProgress>();
        var options = new PriorTrainingOptions { CropSize = (4, 16, 16), Crops = 1, Seed = 4 };

        var losses = DetectionPrior.Train(model, [true, true, true, true], [first, second], options, new SynchronousProgress<TrainingProgress>(steps));

        Assert.Equal(3, losses.Count);
        Assert.All(losses, l => Assert.True(double.IsFinite(l) && l > 0, $"loss {l}"));
        Assert.Equal([0, 1, 2], steps.Select(s => s.Epoch));
        Assert.NotEqual(before, Snapshot(model));
        Assert.Empty(DetectionPrior.Train(model, [true, true, true, true], [first], options with { Crops = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => DetectionPrior.Train(model, [true, true, true, true], [first], options with { LearningRates = [0.1, 0] }));
    }

    private static float[] Snapshot(DetectionUNet model) => model.Parameters().First().ToArray<float>();

    private static Volume<float> Blobs(int depth, int height, int width, int seed)
    {
        var random = new Random(seed);
        var (cx, cy) = (random.Next(width), random.Next(height));
        var frame = new Volume<float>(depth, height, width, new VoxelSize(1, 1, 2));
        for (var z = 0; z < depth; z++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    frame[z, y, x] = ((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) < 25 ? 0.9f : 0.1f * (float)random.NextDouble();
                }
            }
        }

        return frame;
    }
}
