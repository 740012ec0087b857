using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Networks;
using CellVision.Torch;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Flow;

/// <summary>Training the flow network on a small synthetic pair of frames in which two nuclei move.</summary>
[Collection(CellVision.Tracking.Tests.Gnn.LibtorchGeneratorDefinition.Name)] // it seeds libtorch's process-wide generator
public sealed class FlowTrainerTests
{
    private static readonly bool[] KeepAll = [true, true, true, true];
    private static readonly VoxelSize Voxel = new(1, 1, 2);

    [Fact]
    public void Training_on_moving_nuclei_lowers_the_loss_and_reports_every_step()
    {
        TorchRuntime.ManualSeed(0);
        using var model = new FlowUNet();
        using var data = MovingNuclei();
        var options = new FlowTrainingOptions { CropSize = (4, 16, 16), CropsPerTimepoint = 2, Epochs = 3, Seed = 1 };
        using var trainer = new FlowTrainer(model, KeepAll, options);
        var steps = new List<TrainingProgress>();
        var updates = new List<ModelUpdatedEventArgs>();
        trainer.ModelUpdated += (_, e) => updates.Add(e);
        var losses = trainer.Train([data.Pair], new SynchronousProgress<TrainingProgress>(steps));

        Assert.Equal(3, losses.Count);
        Assert.Equal(6, steps.Count);
        Assert.Equal([1, 2, 3], updates.Select(u => u.Epoch));
        Assert.True(losses[^1] < losses[0] * 0.5, $"loss should fall: {string.Join(", ", losses)}");
    }

    [Fact]
    public void Rotation_works_without_scaling_and_with_it()
    {
        TorchRuntime.ManualSeed(0);
        using var model = new FlowUNet();
        using var data = MovingNuclei();
        foreach (var scale in new[] { 0.0, 0.3 })
        {
            var options = new FlowTrainingOptions { CropSize = (4, 16, 16), CropsPerTimepoint = 1, Epochs = 1, RotationAngle = 45, ScaleAugmentation = scale, Seed = 2 };
            using var trainer = new FlowTrainer(model, KeepAll, options);
            var losses = trainer.Train([data.Pair]);
            Assert.True(double.IsFinite(losses[0]), $"loss {losses[0]}");
        }
    }

    [Fact]
    public void Training_stops_on_cancellation_and_refuses_unusable_pairs()
    {
        using var model = new FlowUNet();
        using var data = MovingNuclei();
        using var trainer = new FlowTrainer(model, KeepAll, new FlowTrainingOptions { CropSize = (4, 16, 16), Epochs = 1 });
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Train([data.Pair], cancellationToken: cancelled.Token));

        using (var empty = FlowLabelGenerator.Generate((4, 16, 16), Voxel, [], trainer.NormFactor))
        {
            Assert.Throws<ArgumentException>(() => trainer.TrainEpoch([data.Pair with { Label = empty }]));
        }

        using (var other = FlowLabelGenerator.Generate(data.Graph, 0, (4, 16, 16), Voxel, FlowNormFactor.Elephant))
        {
            Assert.Throws<ArgumentException>(() => trainer.TrainEpoch([data.Pair with { Label = other }]));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.LearningRate = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlowTrainer(model, KeepAll, new FlowTrainingOptions { ScaleAugmentation = 1 }));
    }

    /// <summary>
    /// A 4×16×16 pair: two bright ellipsoidal nuclei in frame 0 move by (+2, +1, 0) and (−1, +2, 0) voxels in frame 1;
    /// the approved links give the flow label.
    /// </summary>
    private static Data MovingNuclei()
    {
        (double X, double Y, double Z)[] before = [(5, 5, 3), (10, 10, 4)];
        (double X, double Y, double Z)[] moves = [(2, 1, 0), (-1, 2, 0)];
        var after = before.Zip(moves, (b, m) => (b.X + m.X, b.Y + m.Y, b.Z + m.Z)).ToArray();
        var graph = new LineageGraph();
        var covariance = new Covariance3(6.25, 0, 0, 6.25, 0, 4);
        for (var i = 0; i < before.Length; i++)
        {
            var source = graph.AddSpot(0, before[i].X, before[i].Y, before[i].Z, covariance);
            var target = graph.AddSpot(1, after[i].Item1, after[i].Item2, after[i].Item3, covariance);
            graph.AddLink(source, target, TrackingTag.Approved);
        }

        var label = FlowLabelGenerator.Generate(graph, 0, (4, 16, 16), Voxel, FlowNormFactor.FromKeepAxials(KeepAll));
        return new Data(new FlowTrainingPair(Frame(before), Frame(after), label), graph);
    }

    private static Volume<float> Frame((double X, double Y, double Z)[] centres)
    {
        var frame = new Volume<float>(4, 16, 16, Voxel);
        for (var z = 0; z < 4; z++)
        for (var y = 0; y < 16; y++)
        for (var x = 0; x < 16; x++)
        {
            var value = centres.Max(c => Math.Exp(-((((x - c.X) * (x - c.X)) + ((y - c.Y) * (y - c.Y))) / 4.0) - (((2 * z) - c.Z) * ((2 * z) - c.Z) / 4.0)));
            frame[z, y, x] = (float)(0.05 + (0.9 * value));
        }

        Normalization.MinMaxToUnit(frame.Span);
        return frame;
    }

    private sealed record Data(FlowTrainingPair Pair, LineageGraph Graph) : IDisposable
    {
        public void Dispose()
        {
            Pair.Current.Dispose();
            Pair.Next.Dispose();
            Pair.Label.Dispose();
        }
    }
}
