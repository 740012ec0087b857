namespace CellVision.Tracking;

/// <summary>
/// How <see cref="CellPatchExtractor"/> builds the metric-learning input of a cell (cell-tracker-gnn's
/// <c>crop_norm_padding</c>): the intensity range of <c>MinMaxCell</c> and the patch size.
/// </summary>
/// <param name="MinCell">Intensity mapped to 0 (training: the smallest cell minimum of the sequence).</param>
/// <param name="MaxCell">Intensity mapped to 1 (training: the largest cell maximum of the sequence).</param>
/// <param name="Roi">The patch extent (Z, Y, X); Z is ignored in 2-D.</param>
public sealed record CellPatchSettings(double MinCell, double MaxCell, (int Z, int Y, int X) Roi)
{
    /// <summary>
    /// The extent the cell is first padded to when it can exceed <see cref="Roi"/> (inference: the per-axis maximum of
    /// the sequence's largest cell and the ROI); the padded patch is then resized to the ROI (bilinear or trilinear,
    /// corners not aligned). Null pads straight to the ROI.
    /// </summary>
    public (int Z, int Y, int X)? PadTo { get; init; }
}
