using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Torch;

namespace CellVision.Tracking.Tests.Flow;

/// <summary>ELEPHANT's input rescaling (<c>input_size</c>) of flow prediction and flow training items.</summary>
public sealed class FlowResizingTests
{
    private static readonly VoxelSize Voxel = new(0.5, 0.5, 2.0);

    [Fact]
    public void A_resampled_prediction_moves_spots_by_the_same_micrometres()
    {
        // The network returns a constant normalised flow, in voxels of the original frame (as ELEPHANT's labels are).
        static Tensor Fake(Tensor input) =>
            Tensor.Concatenate([(input.Narrow(1, 0, 1) * 0) + 0.1, (input.Narrow(1, 0, 1) * 0) + 0.25, (input.Narrow(1, 0, 1) * 0) - 0.05], 1);

        const int D = 6, H = 30, W = 41;
        using var previous = new Volume<float>(D, H, W, Voxel);
        using var current = new Volume<float>(D, H, W, Voxel);
        for (var i = 0; i < current.Length; i++)
        {
            previous.Span[i] = i % 7;
            current.Span[i] = i % 5;
        }

        var norm = new FlowNormFactor(40, 30, 5);
        var graph = new LineageGraph();
        var spot = graph.AddSpot(1, 25 * Voxel.X, 14 * Voxel.Y, 3 * Voxel.Z, 1.2);
        var (dx, dy, dz) = (0.1 * norm.X * Voxel.X, 0.25 * norm.Y * Voxel.Y, -0.05 * norm.Z * Voxel.Z);
        foreach (var region in new Box?[] { null, Box.FromZyx(1, 4, 10, 5, 20, 28) })
        {
            foreach (var factor in new[] { (1d, 1d, 1d), (1d, 2d, 0.5d), (2d, 1.5d, 1d) })
            {
                var options = new FlowPredictionOptions { PatchSize = (4, 16, 16), NormFactor = norm, Region = region, ResizeFactor = factor };
                var predictor = new FlowPredictor(Fake, FlowNormFactor.Elephant, null, options);
                var estimate = Assert.Single(predictor.EstimatePrevious(previous, current, [spot]));
                Assert.Equal(spot.X + dx, estimate.X, 4);
                Assert.Equal(spot.Y + dy, estimate.Y, 4);
                Assert.Equal(spot.Z + dz, estimate.Z, 4);

                // The field is on the resampled grid, in its voxels.
                using var flow = predictor.PredictFlow(previous, current);
                var expectedSize = region is null ? ((int)(D * factor.Item1), (int)(H * factor.Item2), (int)(W * factor.Item3)) : ((int)(5 * factor.Item1), (int)(20 * factor.Item2), (int)(28 * factor.Item3));
                Assert.Equal(expectedSize, (flow.X.Depth, flow.X.Height, flow.X.Width));
                Assert.Equal(new VoxelSize(Voxel.X / factor.Item3, Voxel.Y / factor.Item2, Voxel.Z / factor.Item1), flow.VoxelSize);
                Assert.All(flow.X.Span.ToArray(), v => Assert.Equal(0.1 * norm.X * factor.Item3, v, 4));
                if (region is not null)
                {
                    Assert.Equal([(long)(1 * factor.Item1), (long)(4 * factor.Item2), (long)(10 * factor.Item3)], flow.Region.Start.ToArray());
                }
            }
        }
    }

    [Fact]
    public void Training_items_keep_label_values_and_move_centroids()
    {
        using var current = new Volume<float>(2, 2, 3, Voxel);
        using var next = new Volume<float>(2, 2, 3, Voxel);
        var channels = Enumerable.Range(0, 4).Select(_ => new Volume<float>(2, 2, 3, Voxel)).ToArray();
        for (var i = 0; i < current.Length; i++)
        {
            current.Span[i] = i % 3 / 2f;
            next.Span[i] = 1 - (i % 3 / 2f);
            channels[0].Span[i] = (i % 3) * 0.1f;
            channels[3].Span[i] = i % 3 == 1 ? 1 : 0;
        }

        using var label = new FlowLabel(channels[0], channels[1], channels[2], channels[3], [(1, 1, 2), (0, 0, 1)], new FlowNormFactor(80, 80, 20));
        var resized = new FlowTrainingPair(current, next, label).Resize((1, 1, 2));
        using (resized.Current)
        using (resized.Next)
        using (resized.Label)
        {
            Assert.Equal((2, 2, 6), (resized.Label.Depth, resized.Label.Height, resized.Label.Width));
            Assert.Equal([0f, 0f, 0.1f, 0.1f, 0.2f, 0.2f], resized.Label.X.Span[..6].ToArray());
            Assert.Equal([0f, 0f, 1f, 1f, 0f, 0f], resized.Label.Mask.Span[..6].ToArray());
            Assert.Equal([0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f], resized.Current.Span[..6].ToArray().Select(v => MathF.Round(v, 5)));
            Assert.Equal([(1, 1, 4), (0, 0, 2)], resized.Label.Centroids);
            Assert.Equal(Voxel, resized.Current.VoxelSize);
            Assert.Equal(label.NormFactor, resized.Label.NormFactor);
        }
    }
}
