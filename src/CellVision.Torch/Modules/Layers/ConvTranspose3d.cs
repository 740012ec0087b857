namespace CellVision.Torch.Modules;

/// <summary>3D transposed convolution layer, as <c>nn.ConvTranspose3d</c>: weight (in, out / groups, kD, kH, kW).</summary>
public sealed class ConvTranspose3d : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Kernel size.</param>
    /// <param name="stride">Step (default 1).</param>
    /// <param name="padding">Padding removed from the output (default 0).</param>
    /// <param name="outputPadding">Extra output size on one side (default 0).</param>
    /// <param name="groups">Channel groups (default 1).</param>
    /// <param name="bias">Whether to learn a bias (default true).</param>
    /// <param name="dilation">Kernel spacing (default 1).</param>
    public ConvTranspose3d(long inChannels, long outChannels, Size3 kernelSize, Size3? stride = null, Size3? padding = null, Size3? outputPadding = null, long groups = 1, bool bias = true, Size3? dilation = null)
    {
        LayerChecks.Channels(inChannels, outChannels, groups);
        Stride = stride ?? 1;
        Padding = padding ?? 0;
        OutputPadding = outputPadding ?? 0;
        Dilation = dilation ?? 1;
        Groups = groups;
        Weight = RegisterParameter("weight", Tensor.Empty([inChannels, outChannels / groups, kernelSize.Depth, kernelSize.Height, kernelSize.Width]))!;
        Bias = RegisterParameter("bias", bias ? Tensor.Empty([outChannels]) : null);
        Init.ResetLayer(Weight, Bias);
    }

    /// <summary>The kernel (in, out / groups, kD, kH, kW).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias (out), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Step.</summary>
    public Size3 Stride { get; }

    /// <summary>Padding removed from the output.</summary>
    public Size3 Padding { get; }

    /// <summary>Extra output size on one side.</summary>
    public Size3 OutputPadding { get; }

    /// <summary>Kernel spacing.</summary>
    public Size3 Dilation { get; }

    /// <summary>Channel groups.</summary>
    public long Groups { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.ConvTranspose3d(input, Weight, Bias, Stride, Padding, OutputPadding, Dilation, Groups);
}
