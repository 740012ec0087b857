namespace CellVision.Torch.Tests;

/// <summary>oneDNN's blocked layout: conversions both ways, and a convolution chain that stays in it.</summary>
public sealed class MkldnnLayoutTests
{
    [Fact]
    public void A_tensor_survives_the_trip_into_the_blocked_layout_and_back()
    {
        var values = Enumerable.Range(0, 2 * 16 * 3 * 4 * 5).Select(i => (float)Math.Sin(i)).ToArray();
        using var dense = Tensor.FromSpan<float>(values, [2, 16, 3, 4, 5]);

        using var blocked = dense.ToMkldnn();
        using var back = blocked.ToDense();

        Assert.False(dense.IsMkldnn);
        Assert.True(blocked.IsMkldnn);
        Assert.Equal(dense.Shape, blocked.Shape);
        Assert.False(back.IsMkldnn);
        Assert.Equal(values, back.ToArray<float>());
    }

    [Fact]
    public void Convolution_in_place_relu_and_max_pooling_read_and_write_blocked_tensors_with_the_dense_results()
    {
        using var scope = DisposeScope.Enter();
        using var noGrad = GradientMode.NoGrad();
        var random = new Random(3);
        var input = Tensor.FromSpan<float>(Enumerable.Range(0, 8 * 12 * 12 * 12).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), [1, 8, 12, 12, 12]);
        var weight = Tensor.FromSpan<float>(Enumerable.Range(0, 16 * 8 * 27).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), [16, 8, 3, 3, 3]);
        var bias = Tensor.FromSpan<float>(Enumerable.Range(0, 16).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), [16]);

        var dense = Functional.MaxPool3d(Functional.Conv3d(input, weight, bias).Relu(), new Size3(2, 2, 2), new Size3(2, 2, 2));
        var blocked = Functional.MaxPool3d(Functional.Conv3d(input.ToMkldnn(), weight, bias).ReluInPlace(), new Size3(2, 2, 2), new Size3(2, 2, 2));

        Assert.True(blocked.IsMkldnn);
        Assert.Equal(dense.Shape, blocked.Shape);
        var expected = dense.ToArray<float>();
        var actual = blocked.ToDense().ToArray<float>();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"element {i}: {expected[i]} against {actual[i]}");
        }
    }
}
