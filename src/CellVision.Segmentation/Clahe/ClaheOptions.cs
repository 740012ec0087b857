namespace CellVision.Segmentation;

/// <summary>Parameters of contrast-limited adaptive histogram equalisation, with scikit-image's defaults.</summary>
public sealed record ClaheOptions
{
    /// <summary>
    /// Tile size per dimension (Z, Y, X for volumes; Y, X for images). Null uses scikit-image's default, 1/8 of each
    /// dimension (at least 1); one value is used for every dimension.
    /// </summary>
    public int[]? KernelSize { get; init; }

    /// <summary>
    /// Clip limit as a fraction of the voxels in one tile (scikit-image semantics, default 0.01; incasem uses 0.02).
    /// 0 disables clipping (plain adaptive equalisation). Must lie in [0, 1].
    /// </summary>
    public double ClipLimit { get; init; } = 0.01;

    /// <summary>Number of histogram bins ("luminance levels" in ImageSharp's terms; scikit-image's <c>nbins</c>, default 256), 2 to 16384.</summary>
    public int LuminanceLevels { get; init; } = 256;
}
