namespace CellVision.Segmentation;

/// <summary>
/// The mirrors and the Y–X transpose that test-time augmentation averages over: every combination of the chosen ones
/// is predicted (2 to the number of flags) and the logits are mapped back and averaged.
/// </summary>
[Flags]
public enum SemanticTestTimeAugmentation
{
    /// <summary>One prediction, as incasem makes it.</summary>
    None = 0,

    /// <summary>Mirror along Z.</summary>
    MirrorZ = 1,

    /// <summary>Mirror along Y.</summary>
    MirrorY = 2,

    /// <summary>Mirror along X.</summary>
    MirrorX = 4,

    /// <summary>Swap Y and X (the network must accept the swapped input size).</summary>
    TransposeYX = 8,

    /// <summary>The eight in-plane variants (mirrors of Y and X, and the transpose): for serial sections.</summary>
    InPlane = MirrorY | MirrorX | TransposeYX,
}
