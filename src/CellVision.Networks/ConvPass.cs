using CellVision.Torch;
using CellVision.Torch.Modules;

namespace CellVision.Networks;

/// <summary>
/// funlib's <c>ConvPass</c>: valid (unpadded) 3-D convolutions with biases, each followed by a ReLU, or by an identity
/// when the pass is not activated (as incasem's final pass with <c>activation='Identity'</c>). The layers sit in a
/// <see cref="Sequential"/> child named <c>conv_pass</c>, so the convolutions' keys read <c>conv_pass.0.weight</c>,
/// <c>conv_pass.2.weight</c>, … as in PyTorch.
/// </summary>
public sealed class ConvPass : Module<Tensor, Tensor>
{
    /// <summary>Creates the pass with PyTorch's default initialisation of each convolution.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels of every convolution.</param>
    /// <param name="kernelSizes">One kernel size per convolution, in order; at least one.</param>
    /// <param name="activate">ReLU after each convolution (default true); false puts an identity there instead.</param>
    /// <exception cref="ArgumentException">No kernel size, or a size below 1.</exception>
    public ConvPass(long inChannels, long outChannels, IReadOnlyList<Size3> kernelSizes, bool activate = true)
    {
        ArgumentNullException.ThrowIfNull(kernelSizes);
        if (kernelSizes.Count == 0 || kernelSizes.Any(k => k.Depth < 1 || k.Height < 1 || k.Width < 1))
        {
            throw new ArgumentException("A convolution pass needs at least one kernel size, each at least 1 along every axis.", nameof(kernelSizes));
        }

        KernelSizes = [.. kernelSizes];
        Activated = activate;
        Layers = RegisterModule("conv_pass", new Sequential());
        for (var i = 0; i < KernelSizes.Count; i++)
        {
            Layers.Append(new Conv3d(i == 0 ? inChannels : outChannels, outChannels, KernelSizes[i]));
            Layers.Append(activate ? new ReLU() : new PassThrough());
        }
    }

    /// <summary>Whether a ReLU follows each convolution.</summary>
    public bool Activated { get; }

    /// <summary>The kernel size of each convolution.</summary>
    public IReadOnlyList<Size3> KernelSizes { get; }

    /// <summary>The convolutions and their activations, alternating.</summary>
    public Sequential Layers { get; }

    /// <summary>The convolutions, in order.</summary>
    public IEnumerable<Conv3d> Convolutions => Enumerable.Range(0, KernelSizes.Count).Select(i => (Conv3d)Layers[2 * i]);

    /// <summary>How many voxels the pass removes along each axis: the sum of (kernel size − 1).</summary>
    public Size3 Crop => new(KernelSizes.Sum(k => k.Depth - 1), KernelSizes.Sum(k => k.Height - 1), KernelSizes.Sum(k => k.Width - 1));

    /// <inheritdoc />
    /// <remarks>
    /// Each ReLU runs in place on its convolution's output, which no backward pass needs, to spare one copy of the
    /// largest tensors. An input in oneDNN's blocked layout (<see cref="Tensor.IsMkldnn"/>, inference only) stays in
    /// it, with the dense path's results up to float32 rounding.
    /// </remarks>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = input;
        foreach (var convolution in Convolutions)
        {
            var y = convolution.Forward(x);
            if (!ReferenceEquals(x, input))
            {
                x.Dispose();
            }

            x = Activated ? y.ReluInPlace() : y;
        }

        return x;
    }
}
