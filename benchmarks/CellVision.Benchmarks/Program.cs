using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using CellVision.Torch;

namespace CellVision.Benchmarks;

/// <summary>
/// Runs the BenchmarkDotNet suite, or with <c>compare-conv3d</c> / <c>compare-zarr</c> the CellVision half of
/// benchmarks/compare/conv3d_stack.sh / zarr.sh, printing machine-readable lines.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "compare-conv3d")
        {
            return CompareConv3d(args[1..]);
        }

        if (args.Length > 0 && args[0] == "compare-zarr")
        {
            return ZarrComparison.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "compare-unet")
        {
            return UNetComparison.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "compare-clahe")
        {
            return ClaheComparison.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "detect-frame")
        {
            return DetectFrame.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "plantseg-accuracy")
        {
            return PlantSegAccuracy.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "label-rate")
        {
            return LabelRate.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "flow-step")
        {
            return FlowStep.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "shard-region")
        {
            return ShardRegion.Run();
        }

        if (args.Length > 0 && args[0] == "compare-bdv")
        {
            return BdvComparison.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "ctc-score")
        {
            return CtcScore.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "compare-knn")
        {
            return KnnComparison.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "link-frame")
        {
            return LinkFrame.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "astec-relink")
        {
            return AstecRelink.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    private static int CompareConv3d(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        var shape = options.GetValueOrDefault("shape", "1,32,16,128,128").Split(',').Select(long.Parse).ToArray();
        var threads = int.Parse(options.GetValueOrDefault("threads", "2"), CultureInfo.InvariantCulture);
        var iterations = int.Parse(options.GetValueOrDefault("iterations", "5"), CultureInfo.InvariantCulture);
        var layers = int.Parse(options.GetValueOrDefault("layers", "2"), CultureInfo.InvariantCulture);
        TorchRuntime.ThreadCount = threads;
        using var stack = new Conv3dStack((int)shape[1], layers, shape);
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
