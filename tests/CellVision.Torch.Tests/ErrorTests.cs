using CellVision.Torch.Native;

namespace CellVision.Torch.Tests;

/// <summary>Failures surface as specific .NET exceptions carrying libtorch's own text, never as a process crash.</summary>
public sealed class ErrorTests
{
    [Fact]
    public void ShapeMismatchSurfacesAsTorchExceptionWithLibtorchText()
    {
        using var scope = DisposeScope.Enter();
        var a = Tensor.Zeros([2, 3]);
        var b = Tensor.Zeros([4, 5]);
        var exception = Assert.Throws<TorchException>(() => a.MatrixMultiply(b));
        Assert.Contains("cannot be multiplied", exception.Message);
        Assert.DoesNotContain("Exception raised from", exception.Message);
    }

    [Fact]
    public void WrongConvolutionWeightIsReportedByLibtorch()
    {
        using var scope = DisposeScope.Enter();
        var input = Tensor.Zeros([1, 2, 4, 4, 4]);
        var weight = Tensor.Zeros([3, 5, 3, 3, 3]);
        var exception = Assert.Throws<TorchException>(() => Functional.Conv3d(input, weight));
        Assert.Contains("expected input", exception.Message);
    }

    [Fact]
    public void WrongElementTypeOnReadIsAnArgumentException()
    {
        using var tensor = Tensor.Zeros([2], ScalarType.Int64);
        var exception = Assert.Throws<ArgumentException>(() => tensor.ToArray<float>());
        Assert.Contains("Int64", exception.Message);
    }

    [Fact]
    public void ShapeThatDoesNotFitTheDataIsAnArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(() => Tensor.FromSpan<float>([1, 2, 3], [2, 2]));
        Assert.Contains("4 elements but 3", exception.Message);
    }

    [Fact]
    public void CudaWithoutCudaGivesOneClearException()
    {
        if (TorchRuntime.IsCudaAvailable)
        {
            return;
        }

        Assert.Throws<CudaUnavailableException>(() => Tensor.Zeros([2], device: Device.Cuda()));
        using var cpu = Tensor.Zeros([2]);
        Assert.Throws<CudaUnavailableException>(() => cpu.To(Device.Cuda()));
    }

    [Fact]
    public void MissingLibtorchNamesTheDebianPackage()
    {
        var exception = Assert.Throws<LibTorchNotFoundException>(() => NativeLibraryResolver.LoadLibTorch(null, ["libtorch_cpu_absent.so.0"]));
        Assert.Contains("apt-get install libtorch-dev", exception.Message);
        var folder = Assert.Throws<LibTorchNotFoundException>(() => NativeLibraryResolver.LoadLibTorch("/nonexistent/torch/lib", []));
        Assert.Contains("CELLVISION_LIBTORCH", folder.Message);
    }

    [Fact]
    public void RuntimeReportsTheLinkedLibtorch()
    {
        Assert.StartsWith("1.", TorchRuntime.Version.Length > 0 ? TorchRuntime.Version : "missing");
        var threads = TorchRuntime.ThreadCount;
        TorchRuntime.ThreadCount = 1;
        Assert.Equal(1, TorchRuntime.ThreadCount);
        TorchRuntime.ThreadCount = threads;
    }
}
