using System.Diagnostics;
using CellVision.Torch;

namespace CellVision.Benchmarks;

/// <summary>
/// The CellVision half of benchmarks/compare/conv3d_stack.sh: the same conv3d stack as conv3d_stack.py, the median
/// seconds of forward and of forward + backward after one warm-up of each.
/// </summary>
internal static class Conv3dComparison
{
    internal static int Run(long[] shape, int threads, int iterations, int layers)
    {
        TorchRuntime.ThreadCount = threads;
        using var stack = new Conv3dStackModel((int)shape[1], layers, shape);
        stack.ForwardBackward();
        stack.Forward();

        var forward = Time(stack.Forward, iterations);
        var forwardBackward = Time(stack.ForwardBackward, iterations);
        Console.WriteLine(FormattableString.Invariant($"cellvision_conv3d_stack shape={string.Join(',', shape)} layers={layers} threads={TorchRuntime.ThreadCount} forward_s={forward:F4} forward_backward_s={forwardBackward:F4}"));
        return 0;
    }

    private static double Time(Action action, int iterations)
    {
        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            samples[i] = clock.Elapsed.TotalSeconds;
        }

        Array.Sort(samples);
        return samples[iterations / 2];
    }
}
