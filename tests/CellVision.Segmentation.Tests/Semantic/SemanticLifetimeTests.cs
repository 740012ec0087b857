using CellVision.Networks;
using CellVision.Segmentation;
using CellVision.Torch;

namespace CellVision.Segmentation.Tests.Semantic;

/// <summary>Runs alone, so that the process-wide count of live native tensors means something.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SemanticTensorCountCollectionDefinition
{
    public const string Name = "semantic: live tensor count";
}

/// <summary>A forward pass and a training step release every native tensor they make.</summary>
[Collection(SemanticTensorCountCollectionDefinition.Name)]
public sealed class SemanticLifetimeTests
{
    [Fact]
    public void Forward_and_a_training_step_leave_no_tensor_behind()
    {
        using var network = new SemanticUNet(new SemanticUNetOptions { UNet = new ValidUNetOptions { FeatureMaps = 2, DownsampleFactors = [new(1, 2, 2), new(2, 2, 2)] } });
        var size = (Z: 30, Y: 48, X: 48);
        var output = network.GetOutputSize(size);
        var input = new float[size.Z * size.Y * size.X];
        var voxels = output.Z * output.Y * output.X;
        var labels = Enumerable.Range(0, voxels).Select(i => i % 3 == 0 ? 1 : 0).ToArray();
        var mask = Enumerable.Repeat(true, voxels).ToArray();
        var before = TorchRuntime.LiveTensorCount;

        using (var scope = DisposeScope.Enter())
        using (GradientMode.NoGrad())
        {
            network.Forward(Tensor.Zeros([1, 1, size.Z, size.Y, size.X]));
        }

        using (var optimizer = SemanticTrainingStep.CreateOptimizer(network))
        {
            SemanticTrainingStep.Run(network, optimizer, input, size, labels, mask);
            network.ZeroGrad();
        }

        Assert.Equal(before, TorchRuntime.LiveTensorCount);
    }
}
