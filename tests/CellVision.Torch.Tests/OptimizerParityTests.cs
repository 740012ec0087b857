using CellVision.Torch.Modules;
using CellVision.Torch.Optimizers;
using CellVision.Torch.Tests.Support;

namespace CellVision.Torch.Tests;

/// <summary>Optimisers reproduce PyTorch's parameter trajectories, including a learning-rate change and gradient clipping (Golden/optim.pth).</summary>
public sealed class OptimizerParityTests
{
    private const string File = "optim.pth";

    public static TheoryData<string> Names() => ["adam", "adam_wd_amsgrad", "adamw", "sgd", "sgd_momentum_nesterov"];

    [Theory]
    [MemberData(nameof(Names))]
    public void SixStepsMatchPython(string name)
    {
        TorchRuntime.ManualSeed(5);
        using var model = new Sequential(new Conv3d(1, 3, 3, padding: 1), new ReLU(), new Conv3d(3, 1, 1));
        using var optimizer = Create(name, model.Parameters());
        var x = Golden.Get(File, "x");
        var y = Golden.Get(File, "y");
        for (var step = 0; step < 6; step++)
        {
            using var scope = DisposeScope.Enter();
            if (step == 3)
            {
                optimizer.LearningRate *= 0.5;
            }

            optimizer.ZeroGrad();
            var loss = Losses.MeanSquaredError(model.Forward(x), y);
            loss.Backward();
            if (name == "adam")
            {
                var norm = GradientClipping.ClipByNorm(model.Parameters(), 0.5);
                Assert.Equal(Golden.Get(File, $"{name}/total_norm_step{step}").ToScalar(), norm, 5);
            }

            if (name == "sgd")
            {
                GradientClipping.ClipByValue(model.Parameters(), 0.01);
            }

            optimizer.Step();
            TensorAssert.Close(Golden.Get(File, $"{name}/loss_step{step}"), loss, what: $"{name} loss at step {step}");
        }

        using var state = model.StateDict();
        foreach (var (key, tensor) in state)
        {
            TensorAssert.Close(Golden.Get(File, $"{name}/final/{key}"), tensor, relativeTolerance: 1e-5, absoluteTolerance: 1e-6, what: $"{name} final {key}");
        }
    }

    private static Optimizer Create(string name, IEnumerable<Tensor> parameters) => name switch
    {
        "adam" => new Adam(parameters, new AdamOptions { LearningRate = 1e-2 }),
        "adam_wd_amsgrad" => new Adam(parameters, new AdamOptions { LearningRate = 5e-3, Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-6, WeightDecay = 0.1, AmsGrad = true }),
        "adamw" => new AdamW(parameters, new AdamOptions { LearningRate = 1e-2, WeightDecay = 0.01 }),
        "sgd" => new Sgd(parameters, 0.05),
        "sgd_momentum_nesterov" => new Sgd(parameters, 0.05, momentum: 0.9, weightDecay: 0.01, nesterov: true),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
