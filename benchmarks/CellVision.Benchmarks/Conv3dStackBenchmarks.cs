using BenchmarkDotNet.Attributes;
using CellVision.Torch;

namespace CellVision.Benchmarks;

/// <summary>BenchmarkDotNet timings of a 32→32 channel conv3d stack, forward and forward+backward.</summary>
[MemoryDiagnoser]
public class Conv3dStackBenchmarks : IDisposable
{
    private Conv3dStackModel? stack;

    [Params(2)]
    public int Threads { get; set; }

    [Params("1x32x16x64x64")]
    public string Shape { get; set; } = "1x32x16x64x64";

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.ThreadCount = Threads;
        stack = new Conv3dStackModel(32, 2, Shape.Split('x').Select(long.Parse).ToArray());
    }

    [Benchmark]
    public void Forward() => stack!.Forward();

    [Benchmark]
    public void ForwardBackward() => stack!.ForwardBackward();

    /// <summary>Releases the stack's tensors; BenchmarkDotNet calls it as the global cleanup.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        stack?.Dispose();
        stack = null;
        GC.SuppressFinalize(this);
    }
}
