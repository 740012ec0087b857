using CellVision.Torch.Modules;
using CellVision.Torch.Optimizers;

namespace CellVision.Torch.Tests;

/// <summary>Native tensors are released deterministically: by Dispose, by dispose scopes, and by modules and optimisers.</summary>
public sealed class LifetimeTests
{
    [Fact]
    public void ThousandAdamStepsInsideScopesLeaveNoLiveTensors()
    {
        // Tensors other tests dropped without disposing are released by their finalizers; let that finish first.
        SettleFinalizers();
        var before = TorchRuntime.LiveTensorCount;
        TorchRuntime.ManualSeed(0);
        using (var model = new Sequential(new Conv3d(1, 4, 3, padding: 1), new ReLU(), new Conv3d(4, 1, 1)))
        using (var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 1e-2 }))
        using (var x = Tensor.RandomNormal([1, 1, 4, 4, 4]))
        using (var y = Tensor.RandomNormal([1, 1, 4, 4, 4]))
        {
            long? afterFirstStep = null;
            for (var step = 0; step < 1000; step++)
            {
                using var scope = DisposeScope.Enter();
                optimizer.ZeroGrad();
                var loss = Losses.MeanSquaredError(model.Forward(x), y);
                loss.Backward();
                optimizer.Step();
                scope.Dispose();
                afterFirstStep ??= TorchRuntime.LiveTensorCount;
                Assert.Equal(afterFirstStep, TorchRuntime.LiveTensorCount);
            }
        }

        Assert.Equal(before, TorchRuntime.LiveTensorCount);
    }

    [Fact]
    public void NestedScopesReleaseInnerTemporariesAndMoveResultsOut()
    {
        SettleFinalizers();
        var before = TorchRuntime.LiveTensorCount;
        Tensor kept;
        using (var outer = DisposeScope.Enter())
        {
            Tensor moved;
            using (var inner = DisposeScope.Enter())
            {
                var a = Tensor.Ones([3]);
                var b = a * 2;
                moved = inner.MoveToOuter(b + 1);
                Assert.Equal(2, inner.Count);
            }

            Assert.Equal([3f, 3f, 3f], moved.ToArray<float>());
            kept = outer.MoveToOuter(moved);
        }

        Assert.False(kept.IsDisposed);
        Assert.Equal(before + 1, TorchRuntime.LiveTensorCount);
        kept.Dispose();
        Assert.Equal(before, TorchRuntime.LiveTensorCount);
    }

    [Fact]
    public void UsingADisposedTensorThrowsObjectDisposedException()
    {
        Tensor tensor;
        using (DisposeScope.Enter())
        {
            tensor = Tensor.Zeros([2]);
        }

        Assert.True(tensor.IsDisposed);
        var exception = Assert.Throws<ObjectDisposedException>(() => tensor.Sum());
        Assert.Contains("MoveToOuter", exception.Message);
        tensor.Dispose();
    }

    [Fact]
    public void ModuleToKeepsParameterIdentityForOptimisers()
    {
        using var layer = new Linear(2, 2);
        var weight = layer.Weight;
        layer.To(Device.Cpu, ScalarType.Float64);
        Assert.Same(weight, layer.Parameters().First());
        Assert.Equal(ScalarType.Float64, weight.ScalarType);
        Assert.True(weight.RequiresGrad);
    }

    [Fact]
    public void UndisposedTensorsAreReleasedByTheirFinalizers()
    {
        SettleFinalizers();
        var before = TorchRuntime.LiveTensorCount;
        CreateAndDrop();
        SettleFinalizers();
        Assert.Equal(before, TorchRuntime.LiveTensorCount);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void CreateAndDrop()
    {
        for (var i = 0; i < 10; i++)
        {
            _ = Tensor.Ones([4]) * 2;
        }
    }

    private static void SettleFinalizers()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
