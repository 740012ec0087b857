using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Networks;
using CellVision.Torch;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Flow;

/// <summary>Flow-corrected spot positions from networks whose output is known.</summary>
public sealed class FlowPredictorTests
{
    private static readonly VoxelSize Voxel = new(0.5, 0.5, 2.0);

    [Fact]
    public void A_constant_flow_moves_every_spot_by_it_through_patches_and_resizing()
    {
        // Every weight 0 and output biases atanh(v): the network returns v everywhere, also on two 3×16×20 patches that it
        // resizes to its 4×16×32 base multiple and back.
        double[] v = [0.1, -0.05, 0.02];
        bool[] keepAxials = KeepAxials.FromLevels(2);
        using var model = new FlowUNet();
        using (GradientMode.NoGrad())
        {
            foreach (var (name, parameter) in model.NamedParameters())
            {
                parameter.ZeroInPlace();
                if (name == "out_conv.bias")
                {
                    parameter.CopyFrom(Tensor.FromSpan<float>([.. v.Select(value => (float)Math.Atanh(value))], [3]));
                }
            }
        }

        const int D = 3, H = 16, W = 27;
        var loads = new List<int>();
        var predictor = new FlowPredictor(model, keepAxials, t =>
        {
            loads.Add(t);
            return RandomFrame(D, H, W, t);
        }, new FlowPredictionOptions { PatchSize = (3, 16, 20) });
        Assert.Equal(new FlowNormFactor(80, 80, 20), predictor.NormFactor);

        var graph = new LineageGraph();
        var spots = new[]
        {
            graph.AddSpot(3, 10, 4, 2, new Covariance3(4, 0.5, 0, 3, 0, 4)),
            graph.AddSpot(3, 0.2, 6.5, 4.5, 1.5),            // at the frame's edge
            graph.AddSpot(3, 40, 4, 2, 2),                   // outside the frame: unchanged
        };
        var estimates = predictor.EstimatePrevious(3, spots);

        Assert.Equal([2, 3], loads);
        var (dx, dy, dz) = (v[0] * 80 * Voxel.X, v[1] * 80 * Voxel.Y, v[2] * 20 * Voxel.Z);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(spots[i].X + dx, estimates[i].X, 4);
            Assert.Equal(spots[i].Y + dy, estimates[i].Y, 4);
            Assert.Equal(spots[i].Z + dz, estimates[i].Z, 4);
            Assert.Equal((dx * dx) + (dy * dy) + (dz * dz), estimates[i].SquaredDisplacement, 4);
        }

        Assert.Equal(new CellVision.Tracking.MotionEstimate(40, 4, 2, 0), estimates[2]);
    }

    [Fact]
    public void Spots_take_the_mean_flow_over_their_ellipsoid_and_a_region_keeps_its_true_offset()
    {
        // A fake network whose X flow is the normalised frame t (a ramp along X), Y flow 0.25, Z flow the normalised
        // frame t − 1 (constant, so 0). A sphere centred on a voxel averages the ramp to its centre's value.
        const int D = 6, H = 30, W = 41;
        using var previous = new Volume<float>(D, H, W, Voxel);
        previous.Span.Fill(7);
        using var current = new Volume<float>(D, H, W, Voxel);
        for (var z = 0; z < D; z++)
        for (var y = 0; y < H; y++)
        for (var x = 0; x < W; x++)
        {
            current[z, y, x] = 100 + (3 * x);
        }

        static Tensor Fake(Tensor input) =>
            Tensor.Concatenate([input.Narrow(1, 1, 1), (input.Narrow(1, 0, 1) * 0) + 0.25, input.Narrow(1, 0, 1)], 1);

        var norm = new FlowNormFactor(40, 30, 5);
        var graph = new LineageGraph();
        var inside = graph.AddSpot(1, 25 * Voxel.X, 14 * Voxel.Y, 3 * Voxel.Z, 1.2);
        var outside = graph.AddSpot(1, 2 * Voxel.X, 14 * Voxel.Y, 3 * Voxel.Z, 1.2);
        var expectedDx = 25.0 / (W - 1) * norm.X * Voxel.X;
        var expectedDy = 0.25 * norm.Y * Voxel.Y;

        foreach (var region in new Box?[] { null, Box.FromZyx(1, 4, 10, 5, 20, 28) })
        {
            var progress = new List<PredictionProgress>();
            var predictor = new FlowPredictor(Fake, FlowNormFactor.Elephant, null, new FlowPredictionOptions { PatchSize = (4, 16, 16), NormFactor = norm, Region = region });
            var estimates = predictor.EstimatePrevious(previous, current, [inside, outside], new SynchronousProgress<PredictionProgress>(progress));
            Assert.Equal(inside.X + expectedDx, estimates[0].X, 4);
            Assert.Equal(inside.Y + expectedDy, estimates[0].Y, 4);
            Assert.Equal(inside.Z, estimates[0].Z, 5);
            Assert.Equal((expectedDx * expectedDx) + (expectedDy * expectedDy), estimates[0].SquaredDisplacement, 4);
            if (region is null)
            {
                Assert.Equal(outside.X + (2.0 / (W - 1) * norm.X * Voxel.X), estimates[1].X, 4);
            }
            else
            {
                Assert.Equal(new CellVision.Tracking.MotionEstimate(outside.X, outside.Y, outside.Z, 0), estimates[1]);
            }

            Assert.True(progress.Count > 1);
            Assert.Equal(progress[^1].PatchCount, progress[^1].PatchesDone);
        }
    }

    [Fact]
    public void Bad_calls_are_refused()
    {
        using var model = new FlowUNet();
        var predictor = new FlowPredictor(model, KeepAxials.FromLevels(3));
        Assert.Equal(FlowNormFactor.Elephant, predictor.NormFactor);
        Assert.Throws<InvalidOperationException>(() => predictor.EstimatePrevious(1, [new LineageGraph().AddSpot(1, 0, 0, 0, 1)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => predictor.EstimatePrevious(0, []));
        using var a = new Volume<float>(4, 16, 16);
        using var b = new Volume<float>(4, 16, 17);
        Assert.Throws<ArgumentException>(() => predictor.PredictFlow(a, b));
        var boxed = new FlowPredictor(model, KeepAxials.FromLevels(3), options: new FlowPredictionOptions { Region = Box.FromZyx(0, 0, 0, 5, 16, 16) });
        Assert.Throws<ArgumentException>(() => boxed.PredictFlow(a, a));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlowPredictor(model, KeepAxials.FromLevels(3), options: new FlowPredictionOptions { BatchSize = 0 }));
    }

    private static Volume<float> RandomFrame(int depth, int height, int width, int seed)
    {
        var random = new Random(seed);
        var frame = new Volume<float>(depth, height, width, Voxel);
        for (var i = 0; i < frame.Length; i++)
        {
            frame.Span[i] = random.Next(0, 4000);
        }

        return frame;
    }
}
