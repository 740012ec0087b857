using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Torch;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Flow;

/// <summary>Runs alone, so that the process-wide count of live native tensors means something.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FlowTensorCountCollectionDefinition
{
    public const string Name = "flow: live tensor count";
}

/// <summary>Training, loss and prediction release every native tensor they make.</summary>
[Collection(FlowTensorCountCollectionDefinition.Name)]
public sealed class FlowLifetimeTests
{
    [Fact]
    public void Training_and_prediction_leave_no_tensor_behind()
    {
        bool[] keep = [true, true, true, true];
        var voxel = new VoxelSize(1, 1, 1);
        using var model = new FlowUNet();
        var graph = new LineageGraph();
        graph.AddLink(graph.AddSpot(0, 6, 6, 2, 2), graph.AddSpot(1, 8, 7, 2, 2), TrackingTag.Approved);
        using var current = Blob(voxel, 6, 6);
        using var next = Blob(voxel, 8, 7);
        using var label = FlowLabelGenerator.Generate(graph, 0, (4, 16, 16), voxel, FlowNormFactor.FromKeepAxials(keep));
        var before = LiveTensors.Settled();

        using (var trainer = new FlowTrainer(model, keep, new FlowTrainingOptions { CropSize = (4, 16, 16), CropsPerTimepoint = 1, Epochs = 1, RotationAngle = 10, Seed = 3 }))
        {
            trainer.Train([new FlowTrainingPair(current, next, label)]);
        }

        var estimates = new FlowPredictor(model, keep).EstimatePrevious(current, next, graph.SpotsAt(1));
        Assert.Single(estimates);
        Assert.Equal(before, LiveTensors.Settled());
    }

    private static Volume<float> Blob(VoxelSize voxel, double cx, double cy)
    {
        var frame = new Volume<float>(4, 16, 16, voxel);
        for (var z = 0; z < 4; z++)
        for (var y = 0; y < 16; y++)
        for (var x = 0; x < 16; x++)
        {
            frame[z, y, x] = (float)Math.Exp(-((((x - cx) * (x - cx)) + ((y - cy) * (y - cy))) / 4.0) - (((z - 2) * (z - 2)) / 2.0));
        }

        return frame;
    }
}
