using System.Diagnostics;
using CellVision.Detection;
using CellVision.Networks;
using CellVision.Torch.Optimizers;
using CellVision.Torch;
using CellVision.Tracking;

namespace CellVision.Benchmarks;

/// <summary>
/// <c>flow-step [D,H,W] [threads] [cpu|cuda] [levels] [onednn|pytorch]</c>: ELEPHANT's flow network on one patch of two
/// frames (default 16×128×128, keep_axials (T, T, T, F)): the mean of 3 inference passes after one warm-up, and the mean
/// of 3 training steps (forward, <see cref="FlowLoss"/> with 10 % labelled voxels, backward, Adam) after one warm-up.
/// The last argument picks the CPU 3-D convolution kernels: oneDNN throughout (default, as the flow options) or
/// PyTorch's own choice.
/// </summary>
internal static class FlowStep
{
    /// <param name="kernels">The name of the convolution kernels in use, for the output lines.</param>
    internal static int Run(long[] shape, int threads, Device device, int levels, string kernels)
    {
        TorchRuntime.ThreadCount = threads;
        var keep = KeepAxials.FromLevels(levels);
        TorchRuntime.ManualSeed(0);
        using var model = new FlowUNet();
        model.To(device);
        using var frames = Tensor.RandomUniform([1, 2, .. shape]).To(device);
        using var labels = RandomLabels(shape, device);
        var loss = new FlowLoss(new FlowLossOptions { WarpNormFactor = FlowNormFactor.FromKeepAxials(keep) });

        model.Eval();
        double inference;
        using (GradientMode.InferenceMode())
        {
            Forward(model, frames, keep, device);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 3; i++)
            {
                Forward(model, frames, keep, device);
            }

            inference = clock.Elapsed.TotalSeconds / 3;
        }

        model.Train();
        using var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 1e-3 });
        var stepClock = new Stopwatch();
        var last = 0.0;
        for (var i = 0; i < 4; i++)
        {
            if (i == 1)
            {
                stepClock.Start();
            }

            using var scope = DisposeScope.Enter();
            optimizer.ZeroGrad();
            var value = loss.Compute(model.Forward(frames, keep), labels, frames)!;
            value.Backward();
            optimizer.Step();
            last = value.ToScalar();
        }

        var voxels = shape.Aggregate(1L, (a, b) => a * b);
        var where = device.Type == DeviceType.Cpu ? $"threads={TorchRuntime.ThreadCount}" : $"device={device}";
        Console.WriteLine(FormattableString.Invariant($"cellvision_flow_infer shape=({string.Join(", ", shape)}) {where} kernels={kernels} seconds={inference:F3} mvox_per_s={voxels / inference / 1e6:F3}"));
        Console.WriteLine(FormattableString.Invariant($"cellvision_flow_train_step shape=({string.Join(", ", shape)}) {where} kernels={kernels} seconds={stepClock.Elapsed.TotalSeconds / 3:F3} loss={last:F4}"));
        return 0;
    }

    private static void Forward(FlowUNet model, Tensor frames, bool[] keep, Device device)
    {
        using var scope = DisposeScope.Enter();
        model.Forward(frames, keep);
        TorchRuntime.Synchronize(device);
    }

    private static Tensor RandomLabels(long[] shape, Device device)
    {
        using var scope = DisposeScope.Enter();
        var flow = (Tensor.RandomUniform([1, 3, .. shape]) * 0.2) - 0.1;
        var mask = (Tensor.RandomUniform([1, 1, .. shape]) < 0.1).To(ScalarType.Float32);
        return scope.MoveToOuter(Tensor.Concatenate([flow * mask, mask], 1).To(device));
    }
}
