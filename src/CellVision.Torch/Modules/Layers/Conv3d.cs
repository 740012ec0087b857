namespace CellVision.Torch.Modules;

/// <summary>3D convolution layer, as <c>nn.Conv3d</c>: weight (out, in / groups, kD, kH, kW) and optional bias.</summary>
public sealed class Conv3d : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Kernel size.</param>
    /// <param name="stride">Step (default 1).</param>
    /// <param name="padding">Zero padding per side (default 0).</param>
    /// <param name="dilation">Kernel spacing (default 1).</param>
    /// <param name="groups">Channel groups (default 1).</param>
    /// <param name="bias">Whether to learn a bias (default true).</param>
    public Conv3d(long inChannels, long outChannels, Size3 kernelSize, Size3? stride = null, Size3? padding = null, Size3? dilation = null, long groups = 1, bool bias = true)
    {
        LayerChecks.Channels(inChannels, outChannels, groups);
        Stride = stride ?? 1;
        Padding = padding ?? 0;
        Dilation = dilation ?? 1;
        Groups = groups;
        Weight = RegisterParameter("weight", Tensor.Empty([outChannels, inChannels / groups, kernelSize.Depth, kernelSize.Height, kernelSize.Width]))!;
        Bias = RegisterParameter("bias", bias ? Tensor.Empty([outChannels]) : null);
        Init.ResetLayer(Weight, Bias);
    }

    /// <summary>The kernel (out, in / groups, kD, kH, kW).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias (out), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Step.</summary>
    public Size3 Stride { get; }

    /// <summary>Zero padding per side.</summary>
    public Size3 Padding { get; }

    /// <summary>Kernel spacing.</summary>
    public Size3 Dilation { get; }

    /// <summary>Channel groups.</summary>
    public long Groups { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Conv3d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
}
