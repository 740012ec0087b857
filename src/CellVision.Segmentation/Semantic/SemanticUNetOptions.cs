using CellVision.Networks;
using CellVision.Torch;

namespace CellVision.Segmentation;

/// <summary>The shape of a <see cref="SemanticUNet"/>; the defaults are incasem's (spec B.1).</summary>
public sealed record SemanticUNetOptions
{
    /// <summary>Output classes, background included (incasem: 2, background and one organelle); at least 2.</summary>
    public int Classes { get; init; } = 2;

    /// <summary>The U-Net before the final pass (default: incasem's, 1 → 32 feature maps, three 2×2×2 pools).</summary>
    public ValidUNetOptions UNet { get; init; } = new();

    /// <summary>
    /// The kernel of the final valid convolution to the class logits (incasem: 3×3×3). Serial-section networks with
    /// (1, 3, 3) kernels elsewhere usually take (1, 3, 3) here too, so that no section is lost to it.
    /// </summary>
    public Size3 FinalKernel { get; init; } = new(3, 3, 3);

    internal void Validate()
    {
        if (FinalKernel.Depth < 1 || FinalKernel.Height < 1 || FinalKernel.Width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FinalKernel), FinalKernel, "The final kernel must be at least 1 along each axis.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Classes, 2, nameof(Classes));
        ArgumentNullException.ThrowIfNull(UNet, nameof(UNet));
    }
}
