namespace CellVision.Segmentation;

/// <summary>
/// Widths of the band around object boundaries that <see cref="MetricExclusionMask"/> leaves out of the scores, with
/// the defaults of incasem's <c>60_create_metric_mask.py</c> (4 voxels inside, 4 outside, blocks of 128³).
/// </summary>
public sealed record MetricExclusionMaskOptions
{
    /// <summary>The widest band supported, in voxels (distances are held in bytes).</summary>
    public const int MaximumWidth = 254;

    /// <summary>
    /// Object voxels whose taxicab distance to the background (or to the volume's outside) is at most this are excluded:
    /// scipy's <c>binary_erosion(b, iterations=InnerWidth)</c> (reference: 4; incasem's README uses 2 for Golgi, ER and
    /// clathrin-coated pits, 1 for nuclear pores). At least 1: scipy's 0 means "until nothing changes".
    /// </summary>
    public int InnerWidth { get; init; } = 4;

    /// <summary>
    /// Background voxels whose taxicab distance to the object is at most this are excluded: scipy's
    /// <c>binary_dilation(b, iterations=OuterWidth)</c> (reference: 4). At least 1.
    /// </summary>
    public int OuterWidth { get; init; } = 4;

    /// <summary>The label value that is the object, or null (default) for every nonzero label, as the reference does.</summary>
    public long? ClassId { get; init; }

    /// <summary>
    /// Measure the band within each Z section only (default false: the 3-D cross, as incasem). For serial sections whose
    /// Z spacing is ten times the pixel size, the 3-D band reaches through whole sections (on a few sections it excludes
    /// every object voxel); within sections it equals scipy's morphology with the in-plane cross
    /// <c>[[0,0,0],[0,0,0],[0,0,0]], [[0,1,0],[1,1,1],[0,1,0]], [[0,0,0],[0,0,0],[0,0,0]]</c>.
    /// </summary>
    public bool WithinSections { get; init; }

    /// <summary>
    /// Z, Y, X extent of the blocks a chunked volume is processed in (reference: 128³, the chunk of incasem's arrays);
    /// each block is read with <c>max(InnerWidth, OuterWidth)</c> voxels of context per side.
    /// </summary>
    public (int Z, int Y, int X) BlockShape { get; init; } = (128, 128, 128);

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A width is outside 1 … <see cref="MaximumWidth"/>, or a block extent is below 1.</exception>
    public void Validate()
    {
        if (InnerWidth is < 1 or > MaximumWidth)
        {
            throw new ArgumentOutOfRangeException(nameof(InnerWidth), InnerWidth, $"The inner width must lie in 1 … {MaximumWidth} voxels (scipy's iterations=0 would erode until nothing changes).");
        }

        if (OuterWidth is < 1 or > MaximumWidth)
        {
            throw new ArgumentOutOfRangeException(nameof(OuterWidth), OuterWidth, $"The outer width must lie in 1 … {MaximumWidth} voxels (scipy's iterations=0 would dilate until nothing changes).");
        }

        if (BlockShape.Z < 1 || BlockShape.Y < 1 || BlockShape.X < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockShape), BlockShape, "Every block extent must be at least 1 voxel.");
        }
    }
}
