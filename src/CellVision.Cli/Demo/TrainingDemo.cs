using System.Diagnostics;
using CellVision.Torch;
using CellVision.Torch.Modules;
using CellVision.Torch.Optimizers;
using CellVision.Torch.Serialization;

namespace CellVision.Cli.Demo;

/// <summary>
/// Trains a tiny 3D convolutional network to segment nuclei in a synthetic volume, prints its loss curve and the
/// Dice score on a second, unseen volume, and optionally saves the weights as a PyTorch .pth file.
/// </summary>
internal static class TrainingDemo
{
    internal static int Run(int steps, string? savePath, TextWriter output, CancellationToken cancellation)
    {
        output.WriteLine($"CellVision demo: tiny 3D convolutional segmenter on synthetic nuclei (libtorch {TorchRuntime.Version}, {TorchRuntime.ThreadCount} thread(s))");
        TorchRuntime.ManualSeed(0);
        var (trainImage, trainMask) = SyntheticNuclei.Create(16, 48, 48, nuclei: 14, seed: 1);
        var (testImage, testMask) = SyntheticNuclei.Create(16, 48, 48, nuclei: 14, seed: 2);
        using var model = new Sequential(
            new Conv3d(1, 8, 3, padding: 1), new ReLU(),
            new Conv3d(8, 8, 3, padding: 1), new ReLU(),
            new Conv3d(8, 1, 1));
        using var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 1e-2 });
        var clock = Stopwatch.StartNew();
        output.WriteLine(" step   loss      (binary cross entropy with logits)");
        for (var step = 1; step <= steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = DisposeScope.Enter();
            optimizer.ZeroGrad();
            var loss = Losses.BinaryCrossEntropyWithLogits(model.Forward(trainImage), trainMask);
            loss.Backward();
            optimizer.Step();
            if (step == 1 || step % 10 == 0 || step == steps)
            {
                var value = loss.ToScalar();
                output.WriteLine($"{step,5}   {value:F5}   {new string('#', (int)Math.Round(value * 60))}");
            }
        }

        model.Eval();
        double dice;
        using (var scope = DisposeScope.Enter())
        using (GradientMode.InferenceMode())
        {
            var predicted = (model.Forward(testImage) > 0).To(ScalarType.Float32);
            var overlap = (predicted * testMask).Sum().ToScalar();
            dice = 2 * overlap / (predicted.Sum().ToScalar() + testMask.Sum().ToScalar());
        }

        output.WriteLine($"Dice on an unseen synthetic volume: {dice:F3}   ({steps} steps in {clock.Elapsed.TotalSeconds:F1} s)");
        if (savePath is not null)
        {
            using var state = model.StateDict();
            PthFile.Save(savePath, state);
            output.WriteLine($"Saved weights to {Path.GetFullPath(savePath)} (loads with torch.load in Python).");
        }

        foreach (var tensor in new[] { trainImage, trainMask, testImage, testMask })
        {
            tensor.Dispose();
        }

        return 0;
    }
}
