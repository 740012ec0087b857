namespace CellVision.Segmentation;

/// <summary>
/// Settings of the training partitions (<see cref="FloodFillPartitions"/>), with the defaults of google/ffn's README
/// for the FIB-25 model (field of view 33³, moves of 8 voxels): <c>compute_partitions.py --thresholds
/// 0.025,0.05,0.075,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9 --lom_radius 24,24,24 --min_size 10000</c>.
/// </summary>
public sealed record FloodFillPartitionOptions
{
    /// <summary>The thresholds of the README (0.025, 0.05, 0.075, 0.1, 0.2, …, 0.9): 12 values, so 14 partitions with the background.</summary>
    public static IReadOnlyList<double> ReferenceThresholds { get; } = [0.025, 0.05, 0.075, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

    /// <summary>
    /// Box fractions that separate the partitions, strictly increasing, in (0, 1], at most 253 of them (reference:
    /// <see cref="ReferenceThresholds"/>). A voxel of an object whose fraction is below the i-th threshold (0-based,
    /// the first such) gets partition i + 1; one at or above the last gets <c>Count + 1</c>.
    /// </summary>
    public IReadOnlyList<double> Thresholds { get; init; } = ReferenceThresholds;

    /// <summary>
    /// Half-size in voxels, Z, Y, X, of the box (edge 2r + 1) whose fraction of the voxel's own label is measured; also
    /// the width of the excluded border (reference: 24,24,24, the FOV radius 16 plus one move of 8; the script's
    /// docstring uses 16). The reference's flag is written X, Y, Z.
    /// </summary>
    public (int Z, int Y, int X) LomRadius { get; init; } = (24, 24, 24);

    /// <summary>Labels with fewer voxels than this (counted over the whole volume) become background first (reference: 10000).</summary>
    public int MinimumSize { get; init; } = 10000;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Thresholds is null || Thresholds.Count is 0 or > FloodFillPartitions.Excluded - 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Thresholds), Thresholds?.Count, $"Give between 1 and {FloodFillPartitions.Excluded - 2} thresholds, so that every partition number stays below {FloodFillPartitions.Excluded}.");
        }

        for (var i = 0; i < Thresholds.Count; i++)
        {
            if (!(Thresholds[i] is > 0 and <= 1) || (i > 0 && !(Thresholds[i] > Thresholds[i - 1])))
            {
                throw new ArgumentOutOfRangeException(nameof(Thresholds), Thresholds[i], $"Threshold {i} must lie in (0, 1] and exceed the one before it.");
            }
        }

        if (LomRadius.Z < 0 || LomRadius.Y < 0 || LomRadius.X < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LomRadius), LomRadius, "The box radius must be at least 0 voxels on every axis.");
        }

        if (MinimumSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumSize), MinimumSize, "The minimum label size must be at least 0 voxels.");
        }
    }
}
