using CellVision.Torch.Tests.Support;

namespace CellVision.Torch.Tests;

/// <summary>Every op's forward values and input gradients equal Python torch's on fixed inputs (Golden/ops.pth).</summary>
public sealed class OpParityTests
{
    private const string File = "ops.pth";

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["add"] = t => t[0].Add(t[1], 0.5),
        ["sub"] = t => t[0].Subtract(t[1], 2.0),
        ["mul"] = t => t[0] * t[1],
        ["div"] = t => t[0] / t[1],
        ["add_scalar"] = t => t[0] + 1.5,
        ["sub_scalar"] = t => t[0] - 1.5,
        ["rsub_scalar"] = t => 2.0 - t[0],
        ["mul_scalar"] = t => t[0] * -3.0,
        ["div_scalar"] = t => t[0] / 4.0,
        ["rdiv_scalar"] = t => 2.0 / t[0],
        ["neg"] = t => -t[0],
        ["broadcast_add"] = t => t[0] + t[1],
        ["pow_scalar"] = t => t[0].Pow(1.7),
        ["pow_tensor"] = t => t[0].Pow(t[1]),
        ["exp"] = t => t[0].Exp(),
        ["log"] = t => t[0].Log(),
        ["sqrt"] = t => t[0].Sqrt(),
        ["abs"] = t => t[0].Abs(),
        ["sigmoid"] = t => t[0].Sigmoid(),
        ["tanh"] = t => t[0].Tanh(),
        ["relu"] = t => t[0].Relu(),
        ["leaky_relu"] = t => t[0].LeakyRelu(0.2),
        ["softmax"] = t => t[0].Softmax(1),
        ["log_softmax"] = t => t[0].LogSoftmax(0),
        ["matmul"] = t => t[0].MatrixMultiply(t[1]),
        ["where"] = t => Tensor.Where(t[0] > 0, t[0], t[1]),
        ["clamp"] = t => t[0].Clamp(-0.5, 0.5),
        ["clamp_min"] = t => t[0].Clamp(min: 0.1),
        ["sum_all"] = t => t[0].Sum(),
        ["sum_dims"] = t => t[0].Sum([1, 3]),
        ["mean_all"] = t => t[0].Mean(),
        ["mean_keepdim"] = t => t[0].Mean([2], keepDimension: true),
        ["max_all"] = t => t[0].Max(),
        ["min_all"] = t => t[0].Min(),
        ["max_dim"] = t => t[0].Max(1).Values,
        ["max_dim_indices"] = t => t[0].Max(1, keepDimension: true).Indices,
        ["min_dim"] = t => t[0].Min(0).Values,
        ["argmax_all"] = t => t[0].ArgMax(),
        ["argmax_dim"] = t => t[0].ArgMax(1, keepDimension: true),
        ["norm"] = t => t[0].Norm(),
        ["lt"] = t => t[0] < t[1],
        ["ge_scalar"] = t => t[0] >= 0.1,
        ["eq"] = t => t[0].Equal(t[1]),
        ["ne_scalar"] = t => t[0].Clamp(-0.5, 0.5).NotEqual(0.5),
        ["reshape"] = t => t[0].Reshape(4, -1),
        ["view"] = t => t[0].View(2, 6),
        ["squeeze"] = t => t[0].Squeeze(1),
        ["le"] = t => t[0] <= t[1],
        ["gt_scalar"] = t => t[0] > -0.2,
        ["to_float64"] = t => t[0].To(ScalarType.Float64) * 3.0,
        ["permute"] = t => t[0].Permute(0, 4, 1, 3, 2),
        ["transpose"] = t => t[0].Transpose(0, 1),
        ["narrow"] = t => t[0].Narrow(2, 1, 3),
        ["select"] = t => t[0].Select(1, 2),
        ["unsqueeze"] = t => t[0].Unsqueeze(1),
        ["expand"] = t => t[0].Expand(3, 2, 4),
        ["index_select"] = t => t[0].IndexSelect(1, t[1]),
        ["cat"] = t => Tensor.Concatenate([t[0], t[1]], 1),
        ["stack"] = t => Tensor.Stack([t[0], t[1]], 2),
        ["flip"] = t => t[0].Flip(2, 4),
        ["pad_constant"] = t => t[0].Pad([1, 2, 0, 1, 2, 0], PaddingMode.Constant, 0.25),
        ["pad_replicate"] = t => t[0].Pad([1, 2, 0, 1, 2, 0], PaddingMode.Replicate),
        ["pad_reflect"] = t => t[0].Pad([1, 2, 0, 1, 2, 0], PaddingMode.Reflect),
        ["gather"] = t => t[0].Gather(1, t[1]),
        ["scatter_add"] = t => t[0].ScatterAdd(1, t[1], t[2]),
        ["index_add"] = t => t[0].IndexAdd(0, t[1], t[2], 2.0),
        ["grid_sample_3d"] = t => Functional.GridSample(t[0], t[1]),
        ["grid_sample_3d_border_aligned"] = t => Functional.GridSample(t[0], t[1], GridSampleMode.Bilinear, GridSamplePadding.Border, alignCorners: true),
        ["grid_sample_3d_nearest"] = t => Functional.GridSample(t[0], t[1], GridSampleMode.Nearest, GridSamplePadding.Reflection),
        ["interpolate_nearest"] = t => Functional.Interpolate(t[0], [8L, 3, 14]),
        ["interpolate_trilinear"] = t => Functional.Interpolate(t[0], [8L, 9, 10], InterpolationMode.Trilinear, alignCorners: false),
        ["interpolate_trilinear_aligned"] = t => Functional.Interpolate(t[0], [2.0, 1.5, 0.5], InterpolationMode.Trilinear, alignCorners: true),
        ["interpolate_bilinear"] = t => Functional.Interpolate(t[0], [2.0, 2.0], InterpolationMode.Bilinear, alignCorners: false),
        ["conv2d"] = t => Functional.Conv2d(t[0], t[1], t[2], stride: (2, 1), padding: (1, 2), dilation: (1, 2), groups: 2),
        ["conv3d"] = t => Functional.Conv3d(t[0], t[1], t[2], stride: (1, 2, 1), padding: 1, dilation: (2, 1, 1), groups: 2),
        ["conv3d_nobias"] = t => Functional.Conv3d(t[0], t[1], padding: (0, 1, 2)),
        ["conv_transpose3d"] = t => Functional.ConvTranspose3d(t[0], t[1], t[2], stride: 2, padding: 1, outputPadding: 1),
        ["max_pool2d"] = t => Functional.MaxPool2d(t[0], 3, stride: 2, padding: 1),
        ["max_pool3d"] = t => Functional.MaxPool3d(t[0], (2, 2, 3), ceilMode: true),
        ["avg_pool3d"] = t => Functional.AvgPool3d(t[0], 2, stride: 1, padding: 1, countIncludePad: false),
        ["group_norm"] = t => Functional.GroupNorm(t[0], 2, t[1], t[2], 1e-4),
        ["batch_norm_train"] = t => Functional.BatchNorm(t[0], Tensor.Zeros([4]), Tensor.Ones([4]), t[1], t[2], training: true, momentum: 0.2),
        ["batch_norm_eval"] = t => Functional.BatchNorm(t[0], Tensor.Full([4], 0.1), Tensor.Full([4], 2.0)),
        ["instance_norm"] = t => Functional.InstanceNorm(t[0], weight: t[1], bias: t[2]),
        ["linear"] = t => Functional.Linear(t[0], t[1], t[2]),
        ["nll_loss"] = t => Losses.NegativeLogLikelihood(t[0].LogSoftmax(1), t[1], t[2]),
        ["nll_loss_sum_ignore"] = t => Losses.NegativeLogLikelihood(t[0].LogSoftmax(1), t[1], ignoreIndex: 2, reduction: Reduction.Sum),
        ["nll_loss_none"] = t => Losses.NegativeLogLikelihood(t[0].LogSoftmax(1), t[1], reduction: Reduction.None),
        ["cross_entropy"] = t => Losses.CrossEntropy(t[0], t[1], t[2]),
        ["cross_entropy_smoothing"] = t => Losses.CrossEntropy(t[0], t[1], labelSmoothing: 0.1),
        ["bce_with_logits"] = t => Losses.BinaryCrossEntropyWithLogits(t[0], t[1]),
        ["bce_with_logits_pos_weight"] = t => Losses.BinaryCrossEntropyWithLogits(t[0].Permute(0, 2, 3, 1), t[1].Permute(0, 2, 3, 1), positiveWeight: t[2], reduction: Reduction.Sum),
        ["l1_loss"] = t => Losses.L1(t[0], t[1]),
        ["mse_loss"] = t => Losses.MeanSquaredError(t[0], t[1], Reduction.Sum),
        ["smooth_l1_loss"] = t => Losses.SmoothL1(t[0], t[1], beta: 0.5),
    };

    public static TheoryData<string> Cases() => new(Ops.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardAndGradientsMatchPython(string name) => AssertMatchesPython(name);

    [Theory]
    [InlineData("conv3d")]
    [InlineData("conv3d_nobias")]
    public void Conv3dForcedOntoOneDnnMatchesPython(string name)
    {
        using (Conv3dKernels.ForceOneDnn())
        {
            AssertMatchesPython(name);
        }
    }

    private static void AssertMatchesPython(string name)
    {
        using var scope = DisposeScope.Enter();
        var inputs = new List<Tensor>();
        for (var i = 0; Golden.Has(File, $"{name}/in{i}"); i++)
        {
            var input = Golden.Get(File, $"{name}/in{i}").Clone();
            if (Golden.Has(File, $"{name}/grad{i}"))
            {
                input.RequiresGrad = true;
            }

            inputs.Add(input);
        }

        Assert.NotEmpty(inputs);
        var output = Ops[name](inputs.ToArray());
        TensorAssert.Close(Golden.Get(File, $"{name}/out"), output, what: $"{name} forward");

        if (!Golden.Has(File, $"{name}/gout"))
        {
            return;
        }

        output.Backward(Golden.Get(File, $"{name}/gout"));
        for (var i = 0; i < inputs.Count; i++)
        {
            if (Golden.Has(File, $"{name}/grad{i}"))
            {
                var grad = inputs[i].Grad;
                Assert.NotNull(grad);
                // Gradients of convolutions sum many float32 products in the BLAS; another BLAS (the golden file was written with
                // Debian's reference BLAS, the tests may run on OpenBLAS) sums them in another order.
                TensorAssert.Close(Golden.Get(File, $"{name}/grad{i}"), grad, relativeTolerance: 1e-4, what: $"{name} gradient of input {i}");
            }
        }
    }

    [Fact]
    public void EveryGoldenCaseHasAnImplementation()
    {
        var golden = Golden.File(File).Keys.Where(k => k.EndsWith("/out", StringComparison.Ordinal)).Select(k => k[..^4]).ToHashSet();
        Assert.Empty(golden.Except(Ops.Keys));
        Assert.Empty(Ops.Keys.Except(golden));
    }
}
