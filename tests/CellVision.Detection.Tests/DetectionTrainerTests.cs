using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.Networks;
using CellVision.Torch;

namespace CellVision.Detection.Tests;

/// <summary>Batch and live training of the detection U-Net on a small synthetic frame with bright ellipsoidal nuclei.</summary>
public sealed class DetectionTrainerTests
{
    private static readonly bool[] KeepAll = [true, true, true, true];
    private static readonly VoxelSize Voxel = new(1, 1, 1);

    [Fact]
    public void Batch_training_lowers_the_loss_and_reports_every_step()
    {
        TorchRuntime.ManualSeed(0);
        using var model = new DetectionUNet();
        var (frame, labels) = SyntheticFrame();
        using (frame)
        using (labels)
        {
            var options = new DetectionTrainingOptions { CropSize = (8, 32, 32), CropsPerTimepoint = 4, Epochs = 5, LearningRate = 1e-3, Seed = 1 };
            using var trainer = new DetectionTrainer(model, KeepAll, options);
            var steps = new List<TrainingProgress>();
            var updates = new List<ModelUpdatedEventArgs>();
            trainer.ModelUpdated += (_, e) => updates.Add(e);
            var losses = trainer.Train([new TrainingFrame(frame, labels)], new SynchronousProgress<TrainingProgress>(steps));

            Assert.Equal(5, losses.Count);
            Assert.Equal(20, steps.Count);
            Assert.Equal([1, 2, 3, 4, 5], updates.Select(u => u.Epoch));
            Assert.True(losses[^1] < losses[0] * 0.9, $"loss should fall: {string.Join(", ", losses)}");
        }
    }

    [Fact]
    public void Live_training_runs_an_epoch_per_label_update_and_the_loss_falls()
    {
        TorchRuntime.ManualSeed(0);
        using var model = new DetectionUNet();
        var (frame, labels) = SyntheticFrame();
        using (frame)
        using (labels)
        {
            using var trainer = new DetectionTrainer(model, KeepAll, new DetectionTrainingOptions { CropSize = (8, 32, 32), CropsPerTimepoint = 3, Seed = 2 });
            var losses = new List<double>();
            using var sixEpochs = new CountdownEvent(6);
            trainer.ModelUpdated += (_, e) =>
            {
                lock (losses)
                {
                    losses.Add(e.MeanLoss);
                }

                sixEpochs.Signal();
            };
            using (var live = new LiveDetectionTrainer(trainer))
            {
                for (var update = 0; update < 6; update++)
                {
                    live.UpdateLabels(new TrainingFrame(frame, labels));
                    if (update == 3)
                    {
                        trainer.LearningRate = 5e-4;
                        trainer.CropsPerTimepoint = 2;
                    }
                }

                Assert.True(sixEpochs.Wait(TimeSpan.FromMinutes(5)), "six label updates should give six model updates");
            }

            Assert.Equal(6, losses.Count);
            Assert.Equal(5e-4, trainer.LearningRate);
            Assert.True(losses[^1] < losses[0], $"loss should fall: {string.Join(", ", losses)}");
        }
    }

    [Fact]
    public void Training_stops_on_cancellation_and_refuses_frames_without_labels()
    {
        using var model = new DetectionUNet();
        var (frame, labels) = SyntheticFrame();
        using (frame)
        using (labels)
        using (var empty = new Volume<byte>(8, 32, 32))
        {
            using var trainer = new DetectionTrainer(model, KeepAll, new DetectionTrainingOptions { CropSize = (8, 32, 32), Epochs = 1 });
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => trainer.Train([new TrainingFrame(frame, labels)], cancellationToken: cancelled.Token));
            Assert.Throws<ArgumentException>(() => trainer.TrainEpoch([new TrainingFrame(frame, empty)]));
            Assert.Throws<ArgumentOutOfRangeException>(() => trainer.LearningRate = 0);
        }
    }

    /// <summary>An 8×32×32 frame with four bright nuclei on a dark background, labelled as true nuclei plus auto background.</summary>
    private static (Volume<float> Frame, Volume<byte> Labels) SyntheticFrame()
    {
        var frame = new Volume<float>(8, 32, 32, Voxel);
        (double X, double Y, double Z)[] centres = [(8, 8, 3), (24, 9, 4), (9, 23, 4), (23, 24, 3)];
        for (var z = 0; z < 8; z++)
        {
            for (var y = 0; y < 32; y++)
            {
                for (var x = 0; x < 32; x++)
                {
                    var inside = centres.Any(c => (((x - c.X) * (x - c.X)) / 25) + (((y - c.Y) * (y - c.Y)) / 25) + (((z - c.Z) * (z - c.Z)) / 4) <= 1);
                    frame[z, y, x] = inside ? 0.8f + (0.1f * ((x + y + z) % 3)) : 0.05f * ((x * y + z) % 3);
                }
            }
        }

        var spots = centres.Select(c => new AnnotatedSpot(c.X, c.Y, c.Z, [25, 0, 0, 0, 25, 0, 0, 0, 4], DetectionTag.TruePositive));
        var labels = LabelGenerator.Generate((8, 32, 32), Voxel, spots, new LabelOptions { AutoBackgroundThreshold = 0.2 }, frame);
        return (frame, labels);
    }
}
