using CellVision.Torch.Tests.Support;

namespace CellVision.Torch.Tests;

/// <summary>
/// <see cref="Conv3dKernels.ForceOneDnn"/>: thread-scoped, and convolutions moved onto oneDNN (directly, or on the
/// volume with its axes reordered) give the same values and gradients. The Python cases are in <see cref="OpParityTests"/>.
/// </summary>
public sealed class Conv3dKernelsTests
{
    [Fact]
    public void ForcingOneDnnIsScopedToTheThread()
    {
        Assert.False(Conv3dKernels.IsOneDnnForced);
        using (Conv3dKernels.ForceOneDnn())
        {
            Assert.True(Conv3dKernels.IsOneDnnForced);
            var other = false;
            var thread = new Thread(() => other = Conv3dKernels.IsOneDnnForced);
            thread.Start();
            thread.Join();
            Assert.False(other);
            using (Conv3dKernels.ForceOneDnn())
            {
                Assert.True(Conv3dKernels.IsOneDnnForced);
            }

            Assert.True(Conv3dKernels.IsOneDnnForced);
        }

        Assert.False(Conv3dKernels.IsOneDnnForced);
    }

    [Theory]
    [InlineData(4, 64, 200)]
    [InlineData(200, 4, 64)]
    [InlineData(4, 200, 64)]
    [InlineData(3, 5, 6)]
    public void ForcedConvolutionMatchesFloat64(int depth, int height, int width)
    {
        using var scope = DisposeScope.Enter();
        TorchRuntime.ManualSeed(3);
        var x = Tensor.RandomNormal([1, 2, depth, height, width]);
        var weight = Tensor.RandomNormal([3, 2, 3, 2, 5]);
        var bias = Tensor.RandomNormal([3]);
        var expected = Convolve([x, weight, bias], ScalarType.Float64, forceOneDnn: false);
        var actual = Convolve([x, weight, bias], ScalarType.Float32, forceOneDnn: true);
        string[] names = ["output", "input gradient", "weight gradient", "bias gradient"];
        for (var i = 0; i < names.Length; i++)
        {
            TensorAssert.Close(expected[i].To(ScalarType.Float32), actual[i], 1e-4, 1e-4, names[i]);
        }
    }

    // Output, then the gradients of input, weight and bias for the same normally distributed output gradient.
    private static Tensor[] Convolve(Tensor[] arguments, ScalarType type, bool forceOneDnn)
    {
        var leaves = arguments.Select(a => a.To(type).Detach()).ToArray();
        foreach (var leaf in leaves)
        {
            leaf.RequiresGrad = true;
        }

        using var kernels = forceOneDnn ? Conv3dKernels.ForceOneDnn() : null;
        var output = Functional.Conv3d(leaves[0], leaves[1], leaves[2], stride: (1, 2, 1), padding: (1, 0, 2), dilation: (1, 1, 2));
        TorchRuntime.ManualSeed(5);
        var outputGradient = Tensor.RandomNormal(output.Shape).To(type);
        output.Backward(outputGradient);
        return [output.Detach(), leaves[0].Grad!, leaves[1].Grad!, leaves[2].Grad!];
    }
}
