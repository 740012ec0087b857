namespace CellVision.Torch.Tests.Support;

/// <summary>Element-wise comparisons in the manner of <c>torch.allclose</c>.</summary>
internal static class TensorAssert
{
    /// <summary>Asserts equal shape and type, and |actual − expected| ≤ atol + rtol × |expected| everywhere.</summary>
    internal static void Close(Tensor expected, Tensor actual, double relativeTolerance = 1e-5, double absoluteTolerance = 1e-6, string what = "")
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.ScalarType, actual.ScalarType);
        using var e = expected.To(ScalarType.Float64);
        using var a = actual.To(ScalarType.Float64);
        var ev = e.ToArray<double>();
        var av = a.ToArray<double>();
        for (var i = 0; i < ev.Length; i++)
        {
            var tolerance = absoluteTolerance + (relativeTolerance * Math.Abs(ev[i]));
            if (!(Math.Abs(av[i] - ev[i]) <= tolerance) && !(double.IsNaN(ev[i]) && double.IsNaN(av[i])))
            {
                Assert.Fail($"{what} element {i}: expected {ev[i]:R}, got {av[i]:R} (tolerance {tolerance:G3}).");
            }
        }
    }

    /// <summary>Asserts identical shape, type and elements.</summary>
    internal static void Equal(Tensor expected, Tensor actual, string what = "") => Close(expected, actual, 0, 0, what);
}
