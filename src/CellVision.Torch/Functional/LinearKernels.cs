namespace CellVision.Torch;

/// <summary>
/// Where large float32 CPU linear layers run on the current thread. PyTorch sends <see cref="Functional.Linear"/> to
/// the system BLAS, which on Debian and Ubuntu is the unoptimised reference BLAS unless OpenBLAS is installed: graph
/// networks, whose linear layers map tens of thousands of edge rows at a time, then spend most of their time there
/// (the GNN tracker's forward pass over 22,704 edges ran about 7 times faster on oneDNN than on the reference BLAS, and
/// about 1.3 times faster than on OpenBLAS, with 2 threads). Inside
/// <see cref="ForceOneDnn"/>, a linear layer on a 2-D float32 CPU input of at least <see cref="MinimumRows"/> rows and
/// <see cref="MinimumOutputs"/> outputs runs as a 1×1 convolution over the rows laid out channels-last (the same
/// memory, no copy), which PyTorch sends to oneDNN in both passes when libtorch uses more than one thread. oneDNN
/// computes the same sums in another order, so results differ from PyTorch's by float32 rounding (about 1e-6
/// relative per layer). With one libtorch thread, smaller layers, other types and devices, nothing changes.
/// </summary>
public static class LinearKernels
{
    /// <summary>The fewest input rows that are rerouted (smaller inputs stay on PyTorch's kernel).</summary>
    public const long MinimumRows = 1024;

    /// <summary>The fewest output features that are rerouted (a layer to one logit is faster on PyTorch's kernel).</summary>
    public const long MinimumOutputs = 16;

    [ThreadStatic]
    private static bool forced;

    /// <summary>Whether large float32 CPU linear layers on the current thread run on oneDNN.</summary>
    public static bool IsOneDnnForced => forced;

    /// <summary>Runs large float32 CPU linear layers on oneDNN until the returned scope is disposed.</summary>
    /// <returns>A scope that restores the previous choice. Dispose it on the same thread.</returns>
    public static IDisposable ForceOneDnn() => new OneDnnScope();

    /// <summary>Whether this linear layer goes to oneDNN: forced, large enough, float32 on the CPU, and more than one thread.</summary>
    internal static bool Reroutes(Tensor input, Tensor weight, Tensor? bias)
    {
        if (!forced || input.Shape is not [var rows, _] || rows < MinimumRows || weight.Shape is not [var outputs, _] || outputs < MinimumOutputs)
        {
            return false;
        }

        return input.ScalarType == ScalarType.Float32 && weight.ScalarType == ScalarType.Float32 && (bias is null || bias.ScalarType == ScalarType.Float32)
            && input.Device.Type == DeviceType.Cpu && weight.Device.Type == DeviceType.Cpu && TorchRuntime.ThreadCount > 1;
    }

    /// <summary><c>x Wᵀ + b</c> as a 1×1 convolution of the (1, in, rows, 1) channels-last view of x.</summary>
    internal static Tensor Convolve(Tensor input, Tensor weight, Tensor? bias)
    {
        using var scope = DisposeScope.Enter();
        var rows = input.Size(0);
        var inputs = input.Size(1);
        var outputs = weight.Size(0);
        var contiguous = input.IsContiguous ? input : input.Contiguous();
        var image = contiguous.View(1, rows, 1, inputs).Permute(0, 3, 1, 2);
        var output = Functional.Conv2d(image, weight.View(outputs, inputs, 1, 1), bias);
        return scope.MoveToOuter(output.Permute(0, 2, 3, 1).Reshape(rows, outputs));
    }

    private sealed class OneDnnScope : IDisposable
    {
        private readonly bool previous;
        private bool disposed;

        internal OneDnnScope()
        {
            previous = forced;
            forced = true;
        }

        public void Dispose()
        {
            if (!disposed)
            {
                disposed = true;
                forced = previous;
            }
        }
    }
}
