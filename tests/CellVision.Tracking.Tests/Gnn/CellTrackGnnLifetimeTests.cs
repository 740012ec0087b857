using CellVision.Torch;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>Runs alone, so that the process-wide count of live native tensors means something.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GnnModelTensorCountDefinition
{
    public const string Name = "gnn model: live tensor count";
}

/// <summary>Forward passes, training and validation steps and batching release every native tensor they make.</summary>
[Collection(GnnModelTensorCountDefinition.Name)]
public sealed class CellTrackGnnLifetimeTests
{
    [Fact]
    public void Training_validation_and_prediction_leave_no_tensor_behind()
    {
        TorchRuntime.ManualSeed(1);
        using var model = new CellTrackGnn(CellTrackGnnOptions.TwoD);
        using var a = GnnModelGraphs.Create(1, 13, embedding: true);
        using var b = GnnModelGraphs.Create(2, 13, embedding: true);
        using var trainer = new CellTrackGnnTrainer(model);
        trainer.Step(a);   // Adam's moments are made on the first step and live as long as the trainer
        model.ZeroGrad();
        var before = LiveTensors.Settled();

        using (var batch = CellTrackGnnGraph.Collate([a, b]))
        {
            var step = trainer.Step(batch);
            Assert.True(double.IsFinite(step.Loss));
            Assert.Equal(batch.EdgeCount, step.Edges);
            Assert.InRange(trainer.Validate(batch).Accuracy, 0, 1);
        }

        Assert.Equal(a.EdgeCount, model.PredictActiveEdges(a).Length);
        model.ZeroGrad();
        Assert.Equal(before, LiveTensors.Settled());
    }
}
