using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.Networks;
using CellVision.Torch;

namespace CellVision.Detection.Tests;

/// <summary>Patch-wise prediction with ELEPHANT's layout and blending.</summary>
public sealed class DetectionPredictorTests
{
    private static readonly bool[] KeepAll = [true, true, true, true];

    [Theory]
    [InlineData(708, 384, 2, 324, 60)]
    [InlineData(512, 384, 2, 128, 256)]
    [InlineData(35, 24, 2, 11, 13)]
    [InlineData(100, 384, 1, 0, 100)]
    public void Patch_layout_follows_elephant(int size, int patch, int count, int interval, int overlap)
    {
        var grid = PatchGrid.Create(size, patch);
        Assert.Equal(count, grid.Starts.Length);
        Assert.Equal(overlap, grid.Overlap);
        if (count > 1)
        {
            Assert.Equal(interval, grid.Starts[1]);
        }

        Assert.Equal(size, grid.Starts[^1] + grid.Patch);
    }

    [Fact]
    public void Elephants_ramps_can_leave_a_voxel_without_weight_and_positive_ramps_do_not()
    {
        // 1099 voxels in patches of 100: interval 100, overlap 1; ELEPHANT's linspace(0, 1, 1) = [0] at each patch start.
        var grid = PatchGrid.Create(1099, 100);
        Assert.Equal(0f, WeightSum(grid, positiveRamps: false)[100]);
        Assert.All(WeightSum(grid, positiveRamps: true), w => Assert.True(w > 0));

        // Where patches overlap by exactly the ramp, both kinds of ramps add up to 1.
        var regular = PatchGrid.Create(708, 384);
        Assert.All(WeightSum(regular, positiveRamps: false), w => Assert.Equal(1f, w, 1e-6f));
        Assert.All(WeightSum(regular, positiveRamps: true), w => Assert.Equal(1f, w, 1e-6f));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void One_patch_equals_the_whole_volume_forward(bool oneDnnConvolutions)
    {
        using var model = new DetectionUNet();
        using var frame = Gradient(8, 32, 32);
        var predictor = new DetectionPredictor(model, KeepAll);
        using var probabilities = predictor.PredictNormalised(frame, new PredictionOptions { PatchSize = (8, 32, 32), OneDnnConvolutions = oneDnnConvolutions });

        using var scope = DisposeScope.Enter();
        using var noGrad = GradientMode.InferenceMode();
        using var kernels = oneDnnConvolutions ? Conv3dKernels.ForceOneDnn() : null;
        model.Eval();
        var expected = model.Forward(Tensor.FromSpan<float>(frame.Span, [1, 1, 8, 32, 32]), KeepAll, pad: true).Exp().ToArray<float>();
        var channels = new[] { probabilities.Background, probabilities.Border, probabilities.Centre };
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < frame.Length; i++)
            {
                Assert.Equal(expected[(c * frame.Length) + i], channels[c].Span[i], 1e-6f);
            }
        }
    }

    [Fact]
    public void An_ensemble_saved_as_a_list_of_state_dicts_predicts_the_mean_of_its_models()
    {
        using var frame = Gradient(8, 71, 32);
        var options = new PredictionOptions { PatchSize = (8, 32, 32) };
        TorchRuntime.ManualSeed(5);
        using var first = new DetectionUNet();
        using var second = new DetectionUNet();
        using var third = new DetectionUNet();
        var path = Path.Combine(Path.GetTempPath(), $"cellvision-ensemble-{Guid.NewGuid():N}.pth");
        try
        {
            using (var a = first.StateDict())
            using (var b = second.StateDict())
            using (var c = third.StateDict())
            {
                CellVision.Torch.Serialization.PthFile.Save(path, new List<object?> { a, b, c });
            }

            var loaded = DetectionUNet.LoadEnsemble(path);
            var ensemble = new DetectionPredictor(loaded, KeepAll);
            Assert.Equal(3, ensemble.EnsembleSize);
            using var mean = ensemble.PredictNormalised(frame, options);
            using var p1 = new DetectionPredictor(first, KeepAll).PredictNormalised(frame, options);
            using var p2 = new DetectionPredictor(second, KeepAll).PredictNormalised(frame, options);
            using var p3 = new DetectionPredictor(third, KeepAll).PredictNormalised(frame, options);
            for (var i = 0; i < frame.Length; i++)
            {
                Assert.Equal((p1.Centre.Span[i] + p2.Centre.Span[i] + p3.Centre.Span[i]) / 3, mean.Centre.Span[i], 1e-6f);
                Assert.Equal((p1.Background.Span[i] + p2.Background.Span[i] + p3.Background.Span[i]) / 3, mean.Background.Span[i], 1e-6f);
            }

            Assert.True(p1.Centre.Span.ToArray().Zip(p2.Centre.Span.ToArray()).Any(pair => Math.Abs(pair.First - pair.Second) > 1e-3), "the models differ");

            // A file with one state dict is an ensemble of one.
            using (var weights = first.StateDict())
            {
                CellVision.Torch.Serialization.PthFile.Save(path, weights);
            }

            var single = DetectionUNet.LoadEnsemble(path);
            using (var alone = new DetectionPredictor(Assert.Single(single), KeepAll).PredictNormalised(frame, options))
            {
                Assert.Equal(p1.Centre.Span.ToArray(), alone.Centre.Span.ToArray());
            }

            single[0].Dispose();
            foreach (var model in loaded)
            {
                model.Dispose();
            }
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Throws<ArgumentException>(() => new DetectionPredictor(Array.Empty<DetectionUNet>(), KeepAll));
    }

    [Fact]
    public void Normalised_blending_keeps_probabilities_summing_to_one_where_elephant_does_not()
    {
        using var model = new DetectionUNet();
        // 71 rows in patches of 32: starts 0, 20 and 39 (shifted back from 40). Patches are multiples of the network's
        // base size so that the network itself does not resize them (resized log-probabilities no longer sum to 1).
        using var frame = Gradient(8, 71, 32);
        var predictor = new DetectionPredictor(model, KeepAll);
        var reports = new List<PredictionProgress>();
        var options = new PredictionOptions { PatchSize = (8, 32, 32), BatchSize = 2 };
        using (var blended = predictor.PredictNormalised(frame, options, new SynchronousProgress<PredictionProgress>(reports)))
        {
            Assert.All(Sums(blended), s => Assert.Equal(1f, s, 1e-4f));
        }

        Assert.Equal(new PredictionProgress(3, 3), reports[^1]);
        Assert.Equal(2, reports.Count);
        using var reference = predictor.PredictNormalised(frame, options with { NormaliseBlendWeights = false });
        Assert.Contains(Sums(reference), s => Math.Abs(s - 1) > 0.01);
    }

    [Fact]
    public void Cancellation_stops_prediction()
    {
        using var model = new DetectionUNet();
        using var frame = Gradient(8, 32, 32);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var predictor = new DetectionPredictor(model, KeepAll);
        Assert.ThrowsAny<OperationCanceledException>(() => predictor.PredictNormalised(frame, new PredictionOptions { PatchSize = (8, 16, 16) }, cancellationToken: cancelled.Token));
        Assert.True(model.IsTraining);
    }

    private static float[] WeightSum(PatchGrid grid, bool positiveRamps)
    {
        var sum = new float[grid.Size];
        for (var k = 0; k < grid.Starts.Length; k++)
        {
            var weights = grid.Weights(k, positiveRamps);
            for (var i = 0; i < grid.Patch; i++)
            {
                sum[grid.Starts[k] + i] += weights[i];
            }
        }

        return sum;
    }

    private static float[] Sums(DetectionProbabilities probabilities)
    {
        var sums = new float[probabilities.Centre.Length];
        for (var i = 0; i < sums.Length; i++)
        {
            sums[i] = probabilities.Background.Span[i] + probabilities.Border.Span[i] + probabilities.Centre.Span[i];
        }

        return sums;
    }

    [Fact]
    public void Averaging_over_flips_makes_prediction_commute_with_mirroring()
    {
        using var model = new DetectionUNet();
        using var frame = Gradient(8, 32, 32);
        using var mirrored = new Volume<float>(8, 32, 32, frame.VoxelSize);
        for (var i = 0; i < frame.Length; i++)
        {
            mirrored.Span[MirrorZx(i)] = frame.Span[i];
        }

        var predictor = new DetectionPredictor(model, KeepAll);
        foreach (var flips in new[] { true, false })
        {
            var options = new PredictionOptions { PatchSize = (8, 32, 32), AverageOverFlips = flips };
            using var direct = predictor.PredictNormalised(frame, options);
            using var ofMirrored = predictor.PredictNormalised(mirrored, options);
            var largest = 0f;
            for (var i = 0; i < frame.Length; i++)
            {
                largest = Math.Max(largest, Math.Abs(direct.Centre.Span[i] - ofMirrored.Centre.Span[MirrorZx(i)]));
            }

            // Averaged over its mirror images the network commutes with mirroring; a single pass does not.
            Assert.True(flips ? largest < 1e-5f : largest > 1e-3f, $"flips {flips}: largest difference {largest}");
        }

        static int MirrorZx(int i) => ((7 - (i / 1024)) * 1024) + (i % 1024 / 32 * 32) + (31 - (i % 32));
    }

    private static Volume<float> Gradient(int depth, int height, int width)
    {
        var volume = new Volume<float>(depth, height, width, new VoxelSize(0.5, 0.5, 2));
        for (var i = 0; i < volume.Length; i++)
        {
            volume.Span[i] = (float)((Math.Sin(i * 0.37) + 1) / 2);
        }

        return volume;
    }
}
