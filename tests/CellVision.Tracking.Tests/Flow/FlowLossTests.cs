using CellVision.Torch;
using CellVision.Torch.Serialization;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Flow;

/// <summary>ELEPHANT's flow loss and its gradient equal an independent PyTorch transcription (Golden/Flow/flow_loss_reference.py).</summary>
public sealed class FlowLossTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-flow-loss-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static TheoryData<double, double, double, double, double, double> Settings => new()
    {
        { 1.0 / 3, 1.0 / 3, 1.0 / 3, 80, 80, 10 },   // ELEPHANT's training: equal weights, warp (80, 80, 10)
        { 0.1, 0.1, 0.8, 80, 80, 20 },               // the client's dimension weights honoured, another norm factor
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Loss_and_gradient_equal_the_reference(double wx, double wy, double wz, double nx, double ny, double nz)
    {
        const int N = 2, D = 6, H = 20, W = 24, Length = D * H * W;
        var random = new Random(17);
        var prediction = new float[N * 3 * Length];
        for (var i = 0; i < prediction.Length; i++)
        {
            prediction[i] = (float)((random.NextDouble() * 0.16) - 0.08);
        }

        var labels = new float[N * 4 * Length];
        for (var n = 0; n < N; n++)
        {
            for (var i = 0; i < Length; i++)
            {
                var labelled = random.NextDouble() < 0.3;
                for (var c = 0; c < 3; c++)
                {
                    labels[(((n * 4) + c) * Length) + i] = labelled ? (float)((random.NextDouble() * 0.2) - 0.1) : 0;
                }

                labels[(((n * 4) + 3) * Length) + i] = labelled ? 1 : 0;
            }
        }

        // Smooth blobs in [0, 1]; sample 1's frame t is black in its first three planes (local means of 0 are left out of SSIM).
        var frames = new float[N * 2 * Length];
        for (var n = 0; n < N; n++)
        {
            for (var c = 0; c < 2; c++)
            {
                var (cx, cy, cz) = (8 + (3 * c) + n, 9 - c, 2.5 + n);
                for (var z = 0; z < D; z++)
                for (var y = 0; y < H; y++)
                for (var x = 0; x < W; x++)
                {
                    var value = Math.Exp(-((((x - cx) * (x - cx)) + ((y - cy) * (y - cy))) / 18.0) - (((z - cz) * (z - cz)) / 4.0));
                    value = (0.8 * value) + (0.1 * random.NextDouble());
                    frames[(((((n * 2) + c) * D) + z) * H * W) + (y * W) + x] = n == 1 && c == 0 && z < 3 ? 0 : (float)value;
                }
            }
        }

        using var scope = DisposeScope.Enter();
        var input = Tensor.FromSpan<float>(prediction, [N, 3, D, H, W]);
        input.RequiresGrad = true;
        var options = new FlowLossOptions { DimensionWeights = (wx, wy, wz), WarpNormFactor = new FlowNormFactor(nx, ny, nz) };
        var loss = new FlowLoss(options).Compute(input, Tensor.FromSpan<float>(labels, [N, 4, D, H, W]), Tensor.FromSpan<float>(frames, [N, 2, D, H, W]))!;
        loss.Backward();

        var inputs = Path.Combine(folder, "in.pth");
        var outputs = Path.Combine(folder, "out.pth");
        PthFile.Save(inputs, new Dictionary<string, object?>
        {
            ["prediction"] = Tensor.FromSpan<float>(prediction, [N, 3, D, H, W]),
            ["labels"] = Tensor.FromSpan<float>(labels, [N, 4, D, H, W]),
            ["frames"] = Tensor.FromSpan<float>(frames, [N, 2, D, H, W]),
            ["dim_weights"] = Tensor.FromSpan<double>([wx, wy, wz], [3]),
            ["warp_norm"] = Tensor.FromSpan<double>([nx, ny, nz], [3]),
        });
        PythonReference.Run("Golden/Flow/flow_loss_reference.py", inputs, outputs);
        using var expected = PthFile.LoadStateDict(outputs);

        var flowLoss = new FlowLoss(options);
        using (GradientMode.NoGrad())
        {
            var frameTensor = Tensor.FromSpan<float>(frames, [N, 2, D, H, W]);
            var ssim = 1.0 - FlowLoss.Ssim3d(frameTensor.Narrow(1, 0, 1), flowLoss.Warp(input, frameTensor.Narrow(1, 1, 1)));
            Assert.Equal(expected["ssim"].ToScalar(), ssim.ToScalar(), 1e-5);
            Assert.Equal(expected["smooth"].ToScalar(), FlowLoss.Smoothness(input).ToScalar(), 1e-6);
        }

        Assert.Equal(expected["loss"].ToScalar(), loss.ToScalar(), 1e-6);
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
    public void Without_labelled_voxels_there_is_no_loss_and_bad_shapes_and_weights_are_refused()
    {
        using var scope = DisposeScope.Enter();
        var prediction = Tensor.Zeros([1, 3, 4, 8, 8]);
        var frames = Tensor.RandomUniform([1, 2, 4, 8, 8]);
        Assert.Null(new FlowLoss().Compute(prediction, Tensor.Zeros([1, 4, 4, 8, 8]), frames));
        Assert.Throws<ArgumentException>(() => new FlowLoss().Compute(prediction, Tensor.Zeros([1, 3, 4, 8, 8]), frames));
        Assert.Throws<ArgumentException>(() => new FlowLoss().Compute(prediction, Tensor.Zeros([1, 4, 4, 8, 8]), Tensor.Zeros([1, 1, 4, 8, 8])));
        Assert.Throws<ArgumentException>(() => new FlowLoss().Compute(Tensor.Zeros([1, 2, 4, 8, 8]), Tensor.Zeros([1, 4, 4, 8, 8]), frames));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlowLoss(new FlowLossOptions { DimensionWeights = (0, 0, 0) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlowLoss(new FlowLossOptions { DimensionWeights = (-1, 1, 1) }));
    }
}
