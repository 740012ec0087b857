using CellVision.Segmentation;
using CellVision.Torch.Serialization;

namespace CellVision.Segmentation.Tests.Ffn;

/// <summary>The flood-filling network's shape, its files and its refusals.</summary>
public sealed class FloodFillNetworkTests
{
    [Fact]
    public void The_published_shape_has_638433_parameters()
    {
        using var network = new FloodFillNetwork();

        Assert.Equal(638_433, network.Parameters().Sum(p => p.Shape.Aggregate(1L, (a, b) => a * b)));
        Assert.Equal(25, network.NamedParameters().Count(p => p.Name.EndsWith(".weight", StringComparison.Ordinal)));
        Assert.Equal(((33, 33, 33), (8, 8, 8)), (network.FieldOfView, network.Deltas));
    }

    [Fact]
    public void Bad_shapes_and_files_are_refused_with_a_clear_message()
    {
        using var folder = new TemporaryFolder();
        Assert.Throws<ArgumentOutOfRangeException>(() => new FloodFillNetworkOptions { FieldOfView = (32, 33, 33) }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new FloodFillNetworkOptions { Deltas = (8, 16, 8) }.Validate());
        Assert.Throws<FileNotFoundException>(() => FloodFillNetwork.Load(folder["missing.pth"]));

        File.WriteAllText(folder["text.npz"], "not a zip");
        Assert.Throws<NpzFormatException>(() => FloodFillNetwork.FromTensorFlowNpz(folder["text.npz"]));

        PythonReference.RunInline("import numpy as np, sys; np.savez(sys.argv[1], **{'other/weights': np.zeros((3,3,3,2,4), np.float32)})", folder["other.npz"]);
        var error = Assert.Throws<NpzFormatException>(() => FloodFillNetwork.FromTensorFlowNpz(folder["other.npz"]));
        Assert.Contains("seed_update/conv0_a/weights", error.Message);

        using (var small = new FloodFillNetwork(new FloodFillNetworkOptions { Depth = 2, Features = 4, FieldOfView = (5, 5, 5), Deltas = (1, 1, 1) }))
        {
            small.Save(folder["small.pth"]);
        }

        PythonReference.RunInline("import torch, sys; torch.save({'weight': torch.zeros(2)}, sys.argv[1])", folder["foreign.pth"]);
        Assert.Throws<PthFormatException>(() => FloodFillNetwork.Load(folder["foreign.pth"]));
        using var reloaded = FloodFillNetwork.Load(folder["small.pth"]);
        Assert.Equal((2, 4, (5, 5, 5), (1, 1, 1)), (reloaded.Options.Depth, reloaded.Options.Features, reloaded.FieldOfView, reloaded.Deltas));
    }
}
