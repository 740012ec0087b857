using CellVision.Networks;

namespace CellVision.Segmentation;

/// <summary>The shape of a <see cref="SemanticUNet"/>; the defaults are incasem's (spec B.1).</summary>
public sealed record SemanticUNetOptions
{
    /// <summary>Output classes, background included (incasem: 2, background and one organelle); at least 2.</summary>
    public int Classes { get; init; } = 2;

    /// <summary>The U-Net before the final pass (default: incasem's, 1 → 32 feature maps, three 2×2×2 pools).</summary>
    public ValidUNetOptions UNet { get; init; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Classes, 2, nameof(Classes));
        ArgumentNullException.ThrowIfNull(UNet, nameof(UNet));
    }
}
