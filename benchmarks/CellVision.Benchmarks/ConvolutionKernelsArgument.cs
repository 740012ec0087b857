using CellVision.Torch;

namespace CellVision.Benchmarks;

/// <summary>The <c>onednn|pytorch</c> argument of the network benchmarks: which CPU 3-D convolution kernels to time.</summary>
internal static class ConvolutionKernelsArgument
{
    /// <summary>
    /// Reads <paramref name="args"/>[<paramref name="index"/>] (default <c>onednn</c>, as the detection and flow
    /// options) and, for <c>onednn</c>, enters <see cref="Conv3dKernels.ForceOneDnn"/>.
    /// </summary>
    /// <returns>The name, or null after reporting an unknown one; the scope to dispose when done (null for <c>pytorch</c>).</returns>
    internal static (string? Name, IDisposable? Scope) Enter(string[] args, int index)
    {
        var name = args.Length > index ? args[index] : "onednn";
        if (name is not ("onednn" or "pytorch"))
        {
            Console.Error.WriteLine($"unknown convolution kernels '{name}' (onednn or pytorch)");
            return (null, null);
        }

        return (name, name == "onednn" ? Conv3dKernels.ForceOneDnn() : null);
    }
}
