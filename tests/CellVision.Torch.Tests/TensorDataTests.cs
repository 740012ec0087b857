namespace CellVision.Torch.Tests;

/// <summary>Data crosses between .NET spans and tensors unchanged for every supported element type.</summary>
public sealed class TensorDataTests
{
    [Fact]
    public void EveryElementTypeRoundTrips()
    {
        RoundTrip<float>([1.5f, -2f, 3.25f, 0f], ScalarType.Float32);
        RoundTrip<double>([1.5, -2, 1e300, 0], ScalarType.Float64);
        RoundTrip<Half>([(Half)1.5, (Half)(-2), (Half)65504, (Half)0], ScalarType.Float16);
        RoundTrip<BFloat16>([(BFloat16)1.5f, (BFloat16)(-2f), (BFloat16)3e38f, (BFloat16)0f], ScalarType.BFloat16);
        RoundTrip<long>([long.MinValue, -1, 0, long.MaxValue], ScalarType.Int64);
        RoundTrip<int>([int.MinValue, -1, 0, int.MaxValue], ScalarType.Int32);
        RoundTrip<byte>([0, 1, 128, 255], ScalarType.UInt8);
        RoundTrip<bool>([true, false, false, true], ScalarType.Bool);
    }

    [Fact]
    public void BFloat16ConversionRoundsToNearestEvenLikeLibtorch()
    {
        float[] values = [1.00390625f, 1.01171875f, -3.3f, 1e-40f, float.MaxValue];
        using var fromLibtorch = Tensor.FromSpan<float>(values, [values.Length]).To(ScalarType.BFloat16);
        Assert.Equal(values.Select(v => (BFloat16)v), fromLibtorch.ToArray<BFloat16>());
    }

    [Fact]
    public void FactoriesProduceTheRequestedValues()
    {
        using var scope = DisposeScope.Enter();
        Assert.Equal([0f, 0f], Tensor.Zeros([2]).ToArray<float>());
        Assert.Equal([1L, 1L], Tensor.Ones([2], ScalarType.Int64).ToArray<long>());
        Assert.Equal([2.5, 2.5], Tensor.Full([2], 2.5, ScalarType.Float64).ToArray<double>());
        Assert.Equal([1f, 1.5f, 2f, 2.5f], Tensor.Arange(1, 3, 0.5).ToArray<float>());
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f, 1f], Tensor.Linspace(0, 1, 5).ToArray<float>());
        Assert.Equal(7.0, Tensor.Scalar(7).ToScalar());
        var ints = Tensor.Zeros([3], ScalarType.Int64);
        ints.AddInPlace(2);
        Assert.Equal(ScalarType.Int64, ints.ScalarType);
        Assert.Equal([2L, 2L, 2L], ints.ToArray<long>());
    }

    [Fact]
    public void ViewsShareStorageAndCopiesDoNot()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.Arange(0, 12).Reshape(3, 4);
        var view = x.Narrow(1, 1, 2);
        var copy = view.Contiguous();
        Assert.True(view.SharesStorageWith(x));
        Assert.False(view.IsContiguous);
        Assert.False(copy.SharesStorageWith(x));
        Assert.Equal([1L, 2L], new[] { view.StorageOffset, view.Strides[1] + 1 });
        view.FillInPlace(-1);
        Assert.Equal([0f, -1f, -1f, 3f], x.Select(0, 0).ToArray<float>());
    }

    [Fact]
    public void AutogradModesStopRecording()
    {
        using var scope = DisposeScope.Enter();
        var w = Tensor.Ones([2], requiresGrad: true);
        using (GradientMode.NoGrad())
        {
            Assert.False(GradientMode.IsEnabled);
            Assert.False((w * 2).RequiresGrad);
        }

        Assert.True(GradientMode.IsEnabled);
        using (GradientMode.InferenceMode())
        {
            Assert.False((w * 2).RequiresGrad);
        }

        var y = (w * 3).Sum();
        y.Backward();
        Assert.Equal([3f, 3f], w.Grad!.ToArray<float>());
        w.ClearGrad();
        Assert.Null(w.Grad);
    }

    [Fact]
    public void CpuAutocastRunsConvolutionInBFloat16()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.RandomNormal([1, 2, 4, 4, 4]);
        var w = Tensor.RandomNormal([3, 2, 3, 3, 3]);
        using (Autocast.Enable(Device.Cpu))
        {
            Assert.True(Autocast.IsEnabled(DeviceType.Cpu));
            Assert.Equal(ScalarType.BFloat16, Functional.Conv3d(x, w).ScalarType);
        }

        Assert.False(Autocast.IsEnabled(DeviceType.Cpu));
        Assert.Equal(ScalarType.Float32, Functional.Conv3d(x, w).ScalarType);
    }

    private static void RoundTrip<T>(T[] values, ScalarType type)
        where T : unmanaged
    {
        using var tensor = Tensor.FromSpan<T>(values, [2, 2]);
        Assert.Equal(type, tensor.ScalarType);
        Assert.Equal([2L, 2L], tensor.Shape);
        Assert.Equal(values, tensor.ToArray<T>());
    }
}
