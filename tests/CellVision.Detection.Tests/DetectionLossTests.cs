using CellVision.Detection;
using CellVision.Torch;
using CellVision.Torch.Serialization;

namespace CellVision.Detection.Tests;

/// <summary>ELEPHANT's detection loss and its gradient equal an independent PyTorch transcription (Golden/detection_loss_reference.py).</summary>
public sealed class DetectionLossTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-loss-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Loss_and_gradient_equal_the_reference()
    {
        // Sample 0 has true and false labels with centres, sample 1 has no centre (reuses sample 0's Dice),
        // sample 2 has no label at all (skipped).
        const int D = 6, H = 12, W = 14, Length = D * H * W;
        var random = new Random(3);
        var labels = new byte[3 * Length];
        for (var i = 0; i < Length; i++)
        {
            labels[i] = (byte)random.Next(0, 7);
            labels[Length + i] = (byte)new[] { 0, 1, 2, 4, 5 }[random.Next(5)];
        }

        var logits = new float[3 * 3 * Length];
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)((random.NextDouble() * 4) - 2);
        }

        using var scope = DisposeScope.Enter();
        var options = new DetectionLossOptions { ClassWeights = (1, 10, 10), FalseWeight = 10 };
        var input = Tensor.FromSpan<float>(logits, [3, 3, D, H, W]);
        input.RequiresGrad = true;
        var loss = new DetectionLoss(options).Compute(input.LogSoftmax(1), labels)!;
        loss.Backward();

        var inputs = Path.Combine(folder, "in.pth");
        var outputs = Path.Combine(folder, "out.pth");
        PthFile.Save(inputs, new Dictionary<string, object?>
        {
            ["logits"] = Tensor.FromSpan<float>(logits, [3, 3, D, H, W]),
            ["labels"] = Tensor.FromSpan<long>(labels.Select(l => (long)l).ToArray(), [3, D, H, W]),
            ["class_weights"] = Tensor.FromSpan<float>([1f, 10f, 10f], [3]),
            ["false_weight"] = Tensor.Scalar(10, ScalarType.Float64),
        });
        PythonReference.Run("Golden/detection_loss_reference.py", inputs, outputs);
        using var expected = PthFile.LoadStateDict(outputs);
        Assert.Equal(expected["loss"].ToScalar(), loss.ToScalar(), 1e-5);
        var expectedGrad = expected["grad"].ToArray<float>();
        var grad = input.Grad!.ToArray<float>();
        var scale = expectedGrad.Max(Math.Abs);
        Assert.True(scale > 0);
        for (var i = 0; i < grad.Length; i++)
        {
            Assert.True(Math.Abs(expectedGrad[i] - grad[i]) <= 1e-5 * scale, $"gradient {i}: {grad[i]} vs {expectedGrad[i]}");
        }
    }

    [Fact]
    public void A_batch_without_labels_has_no_loss_and_bad_labels_are_refused()
    {
        using var scope = DisposeScope.Enter();
        var logp = Tensor.Zeros([1, 3, 2, 2, 2]).LogSoftmax(1);
        Assert.Null(new DetectionLoss().Compute(logp, new byte[8]));
        Assert.Throws<ArgumentException>(() => new DetectionLoss().Compute(logp, new byte[7]));
        var bad = new byte[8];
        bad[3] = 7;
        Assert.Throws<ArgumentException>(() => new DetectionLoss().Compute(logp, bad));
    }
}
