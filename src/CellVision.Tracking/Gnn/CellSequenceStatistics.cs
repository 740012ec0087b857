namespace CellVision.Tracking;

/// <summary>
/// Sequence-wide figures the GNN tracker derives from the cells of all frames of one sequence: the intensity range that
/// normalises the metric-learning patches (<c>min_cell</c>, <c>max_cell</c>), and the largest bounding-box extent
/// per axis, which sizes the patches (<c>roi</c>) and, doubled, the candidate-edge box (<c>curr_roi</c>).
/// </summary>
/// <param name="CellCount">How many cells were seen.</param>
/// <param name="MinIntensity">The smallest <see cref="CellFeatures.MinIntensity"/> (+∞ without cells).</param>
/// <param name="MaxIntensity">The largest <see cref="CellFeatures.MaxIntensity"/> (−∞ without cells).</param>
/// <param name="MaxExtent">The largest bounding-box extent (max − min) along Z, Y and X, in voxels (0 without cells).</param>
public sealed record CellSequenceStatistics(int CellCount, double MinIntensity, double MaxIntensity, (int Z, int Y, int X) MaxExtent)
{
    /// <summary>Gathers the statistics of a sequence's cells (every frame of the sequence, not a training window).</summary>
    /// <param name="cells">The cells.</param>
    /// <exception cref="ArgumentNullException"><paramref name="cells"/> is null or holds null.</exception>
    public static CellSequenceStatistics Of(IEnumerable<CellFeatures> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var count = 0;
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        (int Z, int Y, int X) extent = (0, 0, 0);
        foreach (var cell in cells)
        {
            ArgumentNullException.ThrowIfNull(cell, nameof(cells));
            count++;
            min = Math.Min(min, cell.MinIntensity);
            max = Math.Max(max, cell.MaxIntensity);
            var e = cell.Extent;
            extent = (Math.Max(extent.Z, e.Z), Math.Max(extent.Y, e.Y), Math.Max(extent.X, e.X));
        }

        return new CellSequenceStatistics(count, min, max, extent);
    }

    /// <summary>
    /// The half-widths of the candidate-edge box (the reference's <c>bb_roi</c>): <paramref name="multiplier"/> times
    /// <see cref="MaxExtent"/> per axis, in voxels, with no anisotropy correction.
    /// </summary>
    /// <param name="multiplier">The reference's <c>mul_vals</c> (2).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="multiplier"/> is negative or not finite.</exception>
    public (double Z, double Y, double X) Roi(double multiplier = 2)
    {
        if (!double.IsFinite(multiplier) || multiplier < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(multiplier), multiplier, "The ROI multiplier must be finite and ≥ 0.");
        }

        return (multiplier * MaxExtent.Z, multiplier * MaxExtent.Y, multiplier * MaxExtent.X);
    }
}
