using System.CommandLine;
using CellVision.Torch;

namespace CellVision.Benchmarks.Commands;

/// <summary>The <c>onednn|pytorch</c> argument of the network benchmarks: which CPU 3-D convolution kernels to time.</summary>
internal static class ConvolutionKernelsArgument
{
    internal const string OneDnn = "onednn";
    internal const string PyTorch = "pytorch";

    /// <summary>The positional argument; <c>onednn</c> by default, as the detection and flow options.</summary>
    internal static Argument<string> Create()
    {
        var argument = new Argument<string>("kernels")
        {
            Description = "CPU 3-D convolution kernels: onednn (oneDNN throughout, the default of the detection and flow options) or pytorch (PyTorch's own choice)",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => OneDnn,
        };
        argument.AcceptOnlyFromAmong(OneDnn, PyTorch);
        return argument;
    }

    /// <summary>For <c>onednn</c>, enters <see cref="Conv3dKernels.ForceOneDnn"/>; dispose the scope on the same thread.</summary>
    internal static IDisposable? Enter(string name) => name == OneDnn ? Conv3dKernels.ForceOneDnn() : null;
}
