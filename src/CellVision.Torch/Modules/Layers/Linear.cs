namespace CellVision.Torch.Modules;

/// <summary>Fully connected layer, as <c>nn.Linear</c>: <c>y = x Wᵀ + b</c>.</summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    /// <param name="inFeatures">Input size.</param>
    /// <param name="outFeatures">Output size.</param>
    /// <param name="bias">Whether to learn a bias (default true).</param>
    public Linear(long inFeatures, long outFeatures, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        Weight = RegisterParameter("weight", Tensor.Empty([outFeatures, inFeatures]))!;
        Bias = RegisterParameter("bias", bias ? Tensor.Empty([outFeatures]) : null);
        Init.ResetLayer(Weight, Bias);
    }

    /// <summary>The weight (out, in).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias (out), or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
}
