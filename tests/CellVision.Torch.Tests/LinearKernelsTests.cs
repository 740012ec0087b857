namespace CellVision.Torch.Tests;

/// <summary>
/// <see cref="LinearKernels.ForceOneDnn"/>: thread-scoped, and linear layers moved onto oneDNN (a 1×1 convolution over
/// the rows) give the same values and gradients as float64, within float32 rounding.
/// </summary>
public sealed class LinearKernelsTests
{
    [Fact]
    public void ForcingOneDnnIsScopedToTheThread()
    {
        Assert.False(LinearKernels.IsOneDnnForced);
        using (LinearKernels.ForceOneDnn())
        {
            Assert.True(LinearKernels.IsOneDnnForced);
            var other = false;
            var thread = new Thread(() => other = LinearKernels.IsOneDnnForced);
            thread.Start();
            thread.Join();
            Assert.False(other);
            using (LinearKernels.ForceOneDnn())
            {
                Assert.True(LinearKernels.IsOneDnnForced);
            }

            Assert.True(LinearKernels.IsOneDnnForced);
        }

        Assert.False(LinearKernels.IsOneDnnForced);
    }

    [Theory]
    [InlineData(3000, 113, 128, true, false)]
    [InlineData(2048, 64, 16, false, false)]
    [InlineData(1500, 40, 24, true, true)]
    [InlineData(100, 40, 24, true, false)]
    [InlineData(3000, 64, 1, true, false)]
    public void ForcedLinearMatchesFloat64(int rows, int inputs, int outputs, bool bias, bool transposedInput)
    {
        using var scope = DisposeScope.Enter();
        TorchRuntime.ManualSeed(7);
        var x = transposedInput ? Tensor.RandomNormal([inputs, rows]).Transpose(0, 1) : Tensor.RandomNormal([rows, inputs]);
        var weight = Tensor.RandomNormal([outputs, inputs]);
        var b = bias ? Tensor.RandomNormal([outputs]) : null;
        var expected = Apply(x, weight, b, ScalarType.Float64, forceOneDnn: false);
        var actual = Apply(x, weight, b, ScalarType.Float32, forceOneDnn: true);
        string[] names = ["output", "input gradient", "weight gradient", "bias gradient"];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Shape, actual[i].Shape);
            Assert.Equal(ScalarType.Float32, actual[i].ScalarType);
            using var widened = actual[i].To(ScalarType.Float64);
            var (e, a) = (expected[i].ToArray<double>(), widened.ToArray<double>());
            var scale = e.Max(Math.Abs);
            for (var k = 0; k < e.Length; k++)
            {
                // Sums of at most a few thousand normal products: 1e-5 of the largest element is far above float32
                // rounding and far below what a wrong layout (a transposed or shifted operand) gives.
                Assert.True(Math.Abs(a[k] - e[k]) <= 1e-5 * scale, $"{names[i]} element {k}: expected {e[k]:R}, got {a[k]:R}");
            }
        }
    }

    // Output, then the gradients of input, weight and (when given) bias for one fixed output gradient.
    private static Tensor[] Apply(Tensor x, Tensor weight, Tensor? bias, ScalarType type, bool forceOneDnn)
    {
        var input = x.To(type).Detach();
        var w = weight.To(type).Detach();
        var b = bias?.To(type).Detach();
        foreach (var leaf in new[] { input, w, b })
        {
            leaf?.RequiresGrad = true;
        }

        using var kernels = forceOneDnn ? LinearKernels.ForceOneDnn() : null;
        var output = Functional.Linear(input, w, b);
        TorchRuntime.ManualSeed(5);
        output.Backward(Tensor.RandomNormal(output.Shape).To(type));
        Tensor[] result = [output.Detach(), input.Grad!, w.Grad!];
        return b is null ? result : [.. result, b.Grad!];
    }
}
