namespace CellVision.Segmentation;

/// <summary>
/// The augmentations of incasem's training pipeline (spec B.4), with its values: mirror and transpose, an elastic
/// deformation, mirror and transpose again, and an intensity change. CellVision composes the geometric steps into one
/// map from each block voxel to a source position and samples the volumes once (linear interpolation for the raw
/// image, nearest voxel for labels and masks), so mirrors and transposes lose nothing to resampling.
/// </summary>
public sealed record SemanticAugmentationOptions
{
    /// <summary>Mirror each axis with probability 1/2, before and after the elastic step (gunpowder <c>SimpleAugment</c>; default true).</summary>
    public bool Mirror { get; init; } = true;

    /// <summary>
    /// Permute the axes at random, before and after the elastic step (default true). Only axes with the same block size
    /// and the same voxel size are permuted (<see cref="TransposableAxes"/>), so anisotropic sections keep Z.
    /// </summary>
    public bool Transpose { get; init; } = true;

    /// <summary>Which axes may be permuted among themselves, Z, Y, X (default all three; (false, true, true) for serial sections).</summary>
    public (bool Z, bool Y, bool X) TransposableAxes { get; init; } = (true, true, true);

    /// <summary>Apply the elastic deformation (default true).</summary>
    public bool Elastic { get; init; } = true;

    /// <summary>
    /// Spacing of the control points, in voxels per axis (default 32). Each control point is displaced by a normal
    /// jitter; a voxel's displacement interpolates its eight surrounding control points linearly.
    /// </summary>
    public (int Z, int Y, int X) ControlPointSpacing { get; init; } = (32, 32, 32);

    /// <summary>Standard deviation of the control points' jitter, in voxels per axis (default 2).</summary>
    public (double Z, double Y, double X) JitterSigma { get; init; } = (2, 2, 2);

    /// <summary>The block is rotated in the Y–X plane about its centre by an angle drawn uniformly from [0, this] radians (default π/2).</summary>
    public double MaxRotation { get; init; } = Math.PI / 2;

    /// <summary>Probability that a Z section and all sections after it shift in Y and X (default 0.05; gunpowder's <c>prob_shift</c>).</summary>
    public double SectionShiftProbability { get; init; } = 0.05;

    /// <summary>The largest such shift, in voxels, drawn uniformly from [−this, this] per axis (default 2).</summary>
    public int MaxMisalignment { get; init; } = 2;

    /// <summary>Apply the intensity change <c>a' = mean + (a − mean)·scale + shift</c>, clipped to [0, 1] (default true).</summary>
    public bool Intensity { get; init; } = true;

    /// <summary>The scale's range (default 0.85 to 1.15).</summary>
    public (double Minimum, double Maximum) IntensityScale { get; init; } = (0.85, 1.15);

    /// <summary>The shift's range (default −0.15 to 0.15).</summary>
    public (double Minimum, double Maximum) IntensityShift { get; init; } = (-0.15, 0.15);

    /// <summary>No augmentation at all.</summary>
    public static SemanticAugmentationOptions None { get; } = new() { Mirror = false, Transpose = false, Elastic = false, Intensity = false };

    /// <summary>Checks every value and returns this instance.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public SemanticAugmentationOptions Validate()
    {
        if (ControlPointSpacing.Z < 1 || ControlPointSpacing.Y < 1 || ControlPointSpacing.X < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ControlPointSpacing), ControlPointSpacing, "Control points must be at least one voxel apart.");
        }

        if (!(JitterSigma.Z >= 0 && JitterSigma.Y >= 0 && JitterSigma.X >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(JitterSigma), JitterSigma, "The jitter's standard deviation must not be negative.");
        }

        if (!(MaxRotation >= 0 && double.IsFinite(MaxRotation)))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRotation), MaxRotation, "The rotation range must be finite and not negative.");
        }

        if (SectionShiftProbability is < 0 or > 1 || MaxMisalignment < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SectionShiftProbability), SectionShiftProbability, "The section shift probability must lie in [0, 1] and the misalignment must not be negative.");
        }

        if (!(IntensityScale.Minimum <= IntensityScale.Maximum) || !(IntensityShift.Minimum <= IntensityShift.Maximum))
        {
            throw new ArgumentOutOfRangeException(nameof(IntensityScale), IntensityScale, "Each intensity range needs its minimum at or below its maximum.");
        }

        return this;
    }
}
