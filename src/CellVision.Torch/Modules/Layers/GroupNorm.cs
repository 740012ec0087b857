namespace CellVision.Torch.Modules;

/// <summary>Group normalisation layer, as <c>nn.GroupNorm</c>.</summary>
public sealed class GroupNorm : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer; the affine weight starts at 1 and the bias at 0.</summary>
    /// <param name="groups">Number of groups; must divide <paramref name="channels"/>.</param>
    /// <param name="channels">Number of channels.</param>
    /// <param name="epsilon">Added to the variance (default 1e-5).</param>
    /// <param name="affine">Learn a per-channel scale and shift (default true).</param>
    public GroupNorm(long groups, long channels, double epsilon = 1e-5, bool affine = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        if (channels % groups != 0)
        {
            throw new ArgumentException($"groups ({groups}) must divide channels ({channels}).", nameof(groups));
        }

        Groups = groups;
        Epsilon = epsilon;
        Weight = RegisterParameter("weight", affine ? Tensor.Ones([channels]) : null);
        Bias = RegisterParameter("bias", affine ? Tensor.Zeros([channels]) : null);
    }

    /// <summary>Number of groups.</summary>
    public long Groups { get; }

    /// <summary>Added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>Per-channel scale, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>Per-channel shift, or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.GroupNorm(input, Groups, Weight, Bias, Epsilon);
}
