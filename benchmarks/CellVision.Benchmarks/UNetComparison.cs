using System.Diagnostics;
using CellVision.Detection;
using CellVision.Torch;
using CellVision.Torch.Optimizers;

namespace CellVision.Benchmarks;

/// <summary>
/// The CellVision half of benchmarks/compare/unet.sh, mirroring ../shared/refbench/unet_ref.py: the detection U-Net on one
/// patch (default 16×256×256) in inference mode (3 runs after one warm-up), and one Adam training step with NLL loss
/// (mean of 2 after one warm-up). keep_axials (T, T, T, F) as the reference. The third argument picks the 3-D
/// convolution kernels: <c>onednn</c> (default, as the detection options) or <c>pytorch</c> (PyTorch's own choice).
/// </summary>
internal static class UNetComparison
{
    /// <param name="kernels">The name of the convolution kernels in use, for the output lines.</param>
    internal static int Run(long[] shape, int threads, string kernels)
    {
        TorchRuntime.ThreadCount = threads;
        bool[] keep = [true, true, true, false];
        using var model = new DetectionUNet();
        model.Eval();
        using var x = Tensor.RandomUniform([1, 1, .. shape]);
        double inference;
        using (GradientMode.InferenceMode())
        {
            using (var scope = DisposeScope.Enter())
            {
                model.Forward(x, keep);
            }

            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 3; i++)
            {
                using var scope = DisposeScope.Enter();
                model.Forward(x, keep);
            }

            inference = clock.Elapsed.TotalSeconds / 3;
        }

        model.Train();
        using var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 1e-3 });
        using var target = (Tensor.RandomUniform([1, .. shape]) * 3).To(ScalarType.Int64);
        var stepClock = new Stopwatch();
        for (var i = 0; i < 3; i++)
        {
            if (i == 1)
            {
                stepClock.Start();
            }

            using var scope = DisposeScope.Enter();
            optimizer.ZeroGrad();
            Losses.NegativeLogLikelihood(model.Forward(x, keep), target).Backward();
            optimizer.Step();
        }

        var voxels = shape.Aggregate(1L, (a, b) => a * b);
        Console.WriteLine(FormattableString.Invariant($"cellvision_unet_infer shape=({string.Join(", ", shape)}) threads={TorchRuntime.ThreadCount} kernels={kernels} seconds={inference:F3} mvox_per_s={voxels / inference / 1e6:F3}"));
        Console.WriteLine(FormattableString.Invariant($"cellvision_unet_train_step shape=({string.Join(", ", shape)}) kernels={kernels} seconds={stepClock.Elapsed.TotalSeconds / 2:F3}"));
        return 0;
    }
}
