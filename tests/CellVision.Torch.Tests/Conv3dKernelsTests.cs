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
        var magnitudes = Convolve([x.Abs(), weight.Abs(), bias.Abs()], ScalarType.Float64, forceOneDnn: false, absolute: true);
        var actual = Convolve([x, weight, bias], ScalarType.Float32, forceOneDnn: true);

        // Terms summed per element: the fan-in and the bias for the output, at most one per output channel and kernel
        // offset for the input gradient, one per output position for the weight and bias gradients.
        var positions = expected[0].ElementCount / expected[0].Shape[1];
        long[] terms = [(weight.ElementCount / weight.Shape[0]) + 1, weight.ElementCount / weight.Shape[1], positions, positions];
        string[] names = ["output", "input gradient", "weight gradient", "bias gradient"];
        for (var i = 0; i < names.Length; i++)
        {
            AssertWithinRoundingBound(expected[i], magnitudes[i], actual[i], terms[i], names[i]);
        }
    }

    /// <summary>
    /// Asserts that float32 sums of <paramref name="terms"/> products are as close to the float64 ones as rounding allows.
    /// By Higham and Mary's probabilistic bound (rounding errors independent, sums in any order), a float32 sum of n
    /// products is within γ̃(n) × Σ|term| of the exact one, γ̃(n) = exp(λ√n·u + n·u²/(1 − u)) − 1 ≈ λ√n·u with u = 2⁻²⁴,
    /// with probability at least 1 − 2n·exp(−λ²(1 − u)²/2); λ = 8 keeps a false failure below 1e-9 per element.
    /// <paramref name="magnitudes"/> holds Σ|term| per element. These sums cancel heavily (a weight gradient element of
    /// −2.6 from 24,000 terms whose magnitudes add up to 11,000), so a tolerance relative to the result is arbitrary, and
    /// the worst case n·u·Σ|term| is loose enough to pass wrong sums; a wrong permutation, stride, padding or dilation
    /// misses this bound hundreds of times over.
    /// </summary>
    private static void AssertWithinRoundingBound(Tensor expected, Tensor magnitudes, Tensor actual, long terms, string what)
    {
        const double lambda = 8, unitRoundoff = 1.0 / (1 << 24);
        var gamma = double.ExpM1((lambda * Math.Sqrt(terms) * unitRoundoff) + (terms * unitRoundoff * unitRoundoff / (1 - unitRoundoff)));
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(ScalarType.Float32, actual.ScalarType);
        using var widened = actual.To(ScalarType.Float64);
        var (e, m, a) = (expected.ToArray<double>(), magnitudes.ToArray<double>(), widened.ToArray<double>());
        for (var i = 0; i < e.Length; i++)
        {
            var tolerance = gamma * m[i];
            if (!(Math.Abs(a[i] - e[i]) <= tolerance))
            {
                Assert.Fail($"{what} element {i}: expected {e[i]:R}, got {a[i]:R} (tolerance {tolerance:G3} for {terms} terms of total magnitude {m[i]:G6}).");
            }
        }
    }

    // Output, then the gradients of input, weight and bias for the same normally distributed output gradient; with
    // absolute, for its absolute value, so that (given absolute arguments) every element is the sum of its terms' magnitudes.
    private static Tensor[] Convolve(Tensor[] arguments, ScalarType type, bool forceOneDnn, bool absolute = false)
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
        output.Backward(absolute ? outputGradient.Abs() : outputGradient);
        return [output.Detach(), leaves[0].Grad!, leaves[1].Grad!, leaves[2].Grad!];
    }
}
