using CellVision.Core.Volumes;
using CellVision.IO.Tiff;
using CellVision.Segmentation;

namespace CellVision.Segmentation.Tests.Ffn;

/// <summary>Flood-filling training on a FIB-25 crop with a small network: steps, write-back, checkpoints, resumption, refusals.</summary>
public sealed class FloodFillTrainerTests : IDisposable
{
    private static readonly FloodFillNetworkOptions Small = new() { Depth = 2, Features = 4, FieldOfView = (9, 9, 9), Deltas = (2, 2, 2) };
    private readonly TemporaryFolder folder = new();
    private readonly FloodFillTrainingVolume volume = Crop(40);

    public void Dispose()
    {
        volume.Image.Dispose();
        volume.Labels.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void Training_steps_report_losses_and_finished_examples_and_change_the_weights()
    {
        using var network = new FloodFillNetwork(Small);
        var before = network.Parameters().Select(p => p.ToArray<float>()).ToArray();
        var reports = new List<FloodFillTrainingProgress>();

        var last = FloodFillTrainer.Train(network, [volume], Centres(), new FloodFillTrainingOptions { BatchSize = 2, MaxSteps = 30, LearningRate = 0.01 }, progress: new SynchronousProgress<FloodFillTrainingProgress>(reports));

        Assert.Equal(30, last);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.True(double.IsFinite(r.Loss) && r.Loss > 0));
        Assert.True(reports.Sum(r => r.Examples) >= 2, "no example finished its walk");
        Assert.All(reports.Where(r => r.Examples > 0), r => Assert.Equal(r.Examples * 13L * 13 * 13, r.TruePositives + r.FalsePositives + r.FalseNegatives + r.TrueNegatives));
        Assert.Contains(network.Parameters().Select(p => p.ToArray<float>()).Zip(before), pair => !pair.First.SequenceEqual(pair.Second));
        Assert.False(network.IsTraining);
    }

    [Fact]
    public void The_max_prediction_policy_trains_on_larger_patches_and_scores_the_fixed_policys_crop()
    {
        using var network = new FloodFillNetwork(Small);
        // A walk visits each of the at most 3³ movement cells of the 17³ patch once, so 60 steps of batch 2 finish at least two
        // walks whatever the random weights predict (with 20, a network that predicts high everywhere finished none).
        var options = new FloodFillTrainingOptions { BatchSize = 2, MaxSteps = 60, LearningRate = 0.01, MovePolicy = FloodFillMovePolicy.MaxPredictionMoves, Optimizer = FloodFillOptimizer.Adam };
        var reports = new List<FloodFillTrainingProgress>();

        FloodFillTrainer.Train(network, [volume], Centres(), options, progress: new SynchronousProgress<FloodFillTrainingProgress>(reports));

        Assert.Equal((13, 13, 13), new FloodFillTrainingOptions().PatchSize(network));
        Assert.Equal((17, 17, 17), options.PatchSize(network));
        Assert.True(reports.Sum(r => r.Examples) >= 2, "no example finished its walk");
        Assert.All(reports.Where(r => r.Examples > 0), r => Assert.Equal(r.Examples * 13L * 13 * 13, r.TruePositives + r.FalsePositives + r.FalseNegatives + r.TrueNegatives));
        var nearBorder = new List<FloodFillCoordinate> { new(0, 7, 20, 20) };
        Assert.Throws<ArgumentException>(() => FloodFillTrainer.Train(network, [volume], nearBorder, options));
    }

    [Fact]
    public void A_seeded_run_is_reproducible_and_a_checkpoint_resumes_where_it_stopped()
    {
        var options = new FloodFillTrainingOptions { BatchSize = 2, MaxSteps = 6, Seed = 3 };
        using var first = new FloodFillNetwork(Small);
        using var twin = new FloodFillNetwork(Small);
        twin.LoadStateDict(first.StateDict());
        FloodFillTrainer.Train(first, [volume], Centres(), options);
        FloodFillTrainer.Train(twin, [volume], Centres(), options);
        Assert.Equal(Weights(first), Weights(twin));

        using var interrupted = new FloodFillNetwork(Small);
        FloodFillTrainer.Train(interrupted, [volume], Centres(), options with { MaxSteps = 4 }, folder["model.pth"]);
        Assert.Equal("4", File.ReadAllText(folder["model.pth.step"]));
        using var resumed = new FloodFillNetwork(Small);
        var fresh = Weights(resumed);
        var reports = new List<FloodFillTrainingProgress>();
        var last = FloodFillTrainer.Train(resumed, [volume], Centres(), options, folder["model.pth"], new SynchronousProgress<FloodFillTrainingProgress>(reports));

        Assert.Equal(6, last);
        Assert.Equal([5L, 6L], reports.Select(r => r.Step));
        Assert.Equal("6", File.ReadAllText(folder["model.pth.step"]));
        Assert.NotEqual(fresh, Weights(resumed));
        using var saved = FloodFillNetwork.Load(folder["model.pth"]);
        Assert.Equal(Weights(resumed), Weights(saved));
    }

    [Fact]
    public void Cancelling_writes_the_checkpoint_first()
    {
        using var network = new FloodFillNetwork(Small);
        using var cancel = new CancellationTokenSource();
        var progress = new CallbackProgress(r =>
        {
            if (r.Step == 3)
            {
                cancel.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => FloodFillTrainer.Train(network, [volume], Centres(), new FloodFillTrainingOptions { BatchSize = 1, MaxSteps = 100 }, folder["c.pth"], progress, cancel.Token));

        Assert.Equal("3", File.ReadAllText(folder["c.pth.step"]));
        using var saved = FloodFillNetwork.Load(folder["c.pth"]);
        Assert.Equal(network.Parameters().SelectMany(p => p.ToArray<float>()), saved.Parameters().SelectMany(p => p.ToArray<float>()));
    }

    [Fact]
    public void Coordinates_too_near_the_border_and_mismatched_volumes_are_refused()
    {
        using var network = new FloodFillNetwork(Small);
        var near = Assert.Throws<ArgumentException>(() => FloodFillTrainer.Train(network, [volume], [new FloodFillCoordinate(0, 5, 20, 20)]));
        Assert.Contains("closer than the patch radius (6, 6, 6)", near.Message);
        Assert.Throws<ArgumentException>(() => FloodFillTrainer.Train(network, [volume], [new FloodFillCoordinate(1, 20, 20, 20)]));
        Assert.Throws<ArgumentException>(() => FloodFillTrainer.Train(network, [volume], []));
        using var otherLabels = new Volume<uint>(40, 40, 39);
        Assert.Throws<ArgumentException>(() => FloodFillTrainer.Train(network, [volume with { Labels = otherLabels }], Centres()));
    }

    [Fact]
    public void The_walk_moves_only_where_the_seed_has_reached_the_threshold_in_the_offset_order()
    {
        var example = new FloodFillExample((13, 13, 13), (9, 9, 9));
        example.Load(volume, (20, 20, 20), false, false, false, false, 128, 33, -2.944439f, 2.944439f);
        var offsets = new List<(int Z, int Y, int X)> { (0, 0, 0), (0, 2, 0), (2, 0, 0), (0, 0, -2) };
        var threshold = FloodFillTrainer.Logit(0.9);

        Assert.True(example.MoveNext(offsets, threshold));
        Assert.Equal((0, 0, 0), example.Offset);
        var logits = Enumerable.Repeat(-3f, 9 * 9 * 9).ToArray();
        logits[Window(4 + 2, 4, 4)] = 2.5f;   // the window's voxel at offset (2, 0, 0) from the centre
        example.WriteBack(logits);

        Assert.True(example.MoveNext(offsets, threshold));
        Assert.Equal((2, 0, 0), example.Offset);
        example.WriteBack(Enumerable.Repeat(-3f, 9 * 9 * 9).ToArray());
        Assert.False(example.MoveNext(offsets, threshold));
        Assert.Equal(-3f, example.Seed[((6 * 13) + 6) * 13 + 6]);
    }

    private static float[] Weights(FloodFillNetwork network) => [.. network.Parameters().SelectMany(p => p.ToArray<float>())];

    private static int Window(int z, int y, int x) => ((z * 9) + y) * 9 + x;

    private static List<FloodFillCoordinate> Centres() => [new(0, 20, 20, 20), new(0, 14, 25, 17), new(0, 26, 15, 22), new(0, 18, 18, 26)];

    private static FloodFillTrainingVolume Crop(int size)
    {
        using var raw = TiffFile.Open(SharedData.PathOf("fib25-medulla-ts2", "derived", "raw_zyx_uint8.tif"));
        using var labels = TiffFile.Open(SharedData.PathOf("fib25-medulla-ts2", "derived", "gt_bodies_zyx_uint16.tif"));
        using var rawStack = raw.ReadStack<byte>();
        using var labelStack = labels.ReadStack<ushort>();
        var image = new Volume<float>(size, size, size);
        var ids = new Volume<uint>(size, size, size);
        for (var z = 0; z < size; z++)
        {
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    image[z, y, x] = rawStack[z + 100, y + 100, x + 100];
                    ids[z, y, x] = labelStack[z + 100, y + 100, x + 100];
                }
            }
        }

        return new FloodFillTrainingVolume(image, ids);
    }

    private sealed class CallbackProgress(Action<FloodFillTrainingProgress> report) : IProgress<FloodFillTrainingProgress>
    {
        public void Report(FloodFillTrainingProgress value) => report(value);
    }
}
