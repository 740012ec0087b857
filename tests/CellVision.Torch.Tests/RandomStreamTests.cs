using CellVision.Torch.Tests.Support;

namespace CellVision.Torch.Tests;

/// <summary>After the same seed, CellVision draws exactly the numbers Python's torch draws (Golden/rng.pth).</summary>
public sealed class RandomStreamTests
{
    private const string File = "rng.pth";

    [Fact]
    public void RandomNormalAfterSeedEqualsPython()
    {
        TorchRuntime.ManualSeed(42);
        using var values = Tensor.RandomNormal([5, 7]);
        TensorAssert.Equal(Golden.Get(File, "randn_after_42"), values);
    }

    [Fact]
    public void RandomUniformAfterSeedEqualsPython()
    {
        TorchRuntime.ManualSeed(42);
        using var values = Tensor.RandomUniform([3, 11]);
        TensorAssert.Equal(Golden.Get(File, "rand_after_42"), values);
    }

    [Fact]
    public void KaimingNormalAfterSeedEqualsPython()
    {
        TorchRuntime.ManualSeed(42);
        using var weight = Init.KaimingNormal(Tensor.Empty([8, 4, 3, 3, 3]));
        TensorAssert.Equal(Golden.Get(File, "kaiming_normal_after_42"), weight);
    }

    [Fact]
    public void KaimingUniformFanOutEqualsPython()
    {
        TorchRuntime.ManualSeed(42);
        using var weight = Init.KaimingUniform(Tensor.Empty([8, 4, 3, 3, 3]), a: 0.1, mode: FanMode.FanOut, nonlinearity: Nonlinearity.LeakyRelu);
        TensorAssert.Equal(Golden.Get(File, "kaiming_uniform_fan_out_after_42"), weight);
    }

    [Fact]
    public void XavierInitialisersEqualPython()
    {
        TorchRuntime.ManualSeed(42);
        using var uniform = Init.XavierUniform(Tensor.Empty([6, 10]), Init.CalculateGain(Nonlinearity.Relu));
        TensorAssert.Equal(Golden.Get(File, "xavier_uniform_relu_after_42"), uniform);
        TorchRuntime.ManualSeed(42);
        using var normal = Init.XavierNormal(Tensor.Empty([6, 10]));
        TensorAssert.Equal(Golden.Get(File, "xavier_normal_after_42"), normal);
    }

    [Fact]
    public void DropoutMaskAfterSeedEqualsPython()
    {
        TorchRuntime.ManualSeed(3);
        using var ones = Tensor.Ones([4, 50]);
        using var dropped = Functional.Dropout(ones, 0.3, training: true);
        TensorAssert.Equal(Golden.Get(File, "dropout_after_3"), dropped);
    }
}
