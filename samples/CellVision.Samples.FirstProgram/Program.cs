// The "first program" of README.md: train a small 3D network, then save its weights for Python.
using CellVision.Torch;
using CellVision.Torch.Modules;
using CellVision.Torch.Optimizers;
using CellVision.Torch.Serialization;

TorchRuntime.ManualSeed(0);
using var model = new Sequential(new Conv3d(1, 8, 3, padding: 1), new ReLU(), new Conv3d(8, 1, 1));
using var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 1e-2 });
using var x = Tensor.RandomNormal([1, 1, 8, 32, 32]);
using var y = (x > 0.5).To(ScalarType.Float32);

for (var step = 0; step < 50; step++)
{
    using var scope = DisposeScope.Enter();
    optimizer.ZeroGrad();
    var loss = Losses.BinaryCrossEntropyWithLogits(model.Forward(x), y);
    loss.Backward();
    optimizer.Step();
    if (step % 10 == 9)
    {
        Console.WriteLine($"step {step + 1}: loss {loss.ToScalar():F4}");
    }
}

using var weights = model.StateDict();
var path = args.Length > 0 ? args[0] : "model.pth";
PthFile.Save(path, weights);
Console.WriteLine($"saved {Path.GetFullPath(path)}");
