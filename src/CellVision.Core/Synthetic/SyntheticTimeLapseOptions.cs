using CellVision.Core.Geometry;

namespace CellVision.Core.Synthetic;

/// <summary>
/// Settings of <see cref="SyntheticTimeLapse"/>: the size of the movie, the nuclei, how they move and divide, and the
/// imaging (blur, background, Poisson and Gaussian noise). The defaults make a small light-sheet-like movie that a
/// detector can learn in a minute on a laptop.
/// </summary>
public sealed record SyntheticTimeLapseOptions
{
    /// <summary>Number of timepoints. Default 8.</summary>
    public int Timepoints { get; init; } = 8;

    /// <summary>Planes per frame (Z). Default 16.</summary>
    public int Depth { get; init; } = 16;

    /// <summary>Rows per frame (Y). Default 96.</summary>
    public int Height { get; init; } = 96;

    /// <summary>Columns per frame (X). Default 96.</summary>
    public int Width { get; init; } = 96;

    /// <summary>The voxel size in µm; anisotropic like a light-sheet or confocal stack. Default 0.5 × 0.5 × 2 µm.</summary>
    public VoxelSize VoxelSize { get; init; } = new(0.5, 0.5, 2.0);

    /// <summary>Nuclei at the first timepoint. Default 10.</summary>
    public int InitialNuclei { get; init; } = 10;

    /// <summary>Mean nucleus radius in µm (each nucleus draws its own within ±15 %). Default 3.5 µm.</summary>
    public double NucleusRadius { get; init; } = 3.5;

    /// <summary>Standard deviation of the random (Brownian) step per axis and timepoint, in µm. Default 0.6 µm.</summary>
    public double BrownianStep { get; init; } = 0.6;

    /// <summary>Drift of every nucleus per timepoint in µm (X, Y, Z). Default (0.8, 0.4, 0).</summary>
    public (double X, double Y, double Z) Drift { get; init; } = (0.8, 0.4, 0);

    /// <summary>Probability per nucleus and timepoint that it divides (after at least 2 timepoints of life). Default 0.08.</summary>
    public double DivisionProbability { get; init; } = 0.08;

    /// <summary>Probability per timepoint that a new nucleus enters the field of view. Default 0.3.</summary>
    public double AppearanceProbability { get; init; } = 0.3;

    /// <summary>Sharpness of the nucleus edge in µm (the width of the blurred rim). Default 0.8 µm.</summary>
    public double EdgeWidth { get; init; } = 0.8;

    /// <summary>Mean photon count of the background. Default 20.</summary>
    public double Background { get; init; } = 20;

    /// <summary>Mean photon count added inside a nucleus. Default 200.</summary>
    public double Signal { get; init; } = 200;

    /// <summary>Standard deviation of the camera's Gaussian read noise (counts). Default 4.</summary>
    public double ReadNoise { get; init; } = 4;

    /// <summary>The random seed; the same seed and options give the same movie. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public SyntheticTimeLapseOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Timepoints, 1, nameof(Timepoints));
        ArgumentOutOfRangeException.ThrowIfLessThan(Depth, 1, nameof(Depth));
        ArgumentOutOfRangeException.ThrowIfLessThan(Height, 8, nameof(Height));
        ArgumentOutOfRangeException.ThrowIfLessThan(Width, 8, nameof(Width));
        ArgumentOutOfRangeException.ThrowIfNegative(InitialNuclei, nameof(InitialNuclei));
        VoxelSize.Validate();
        RequireFinite(NucleusRadius, nameof(NucleusRadius), positive: true);
        RequireFinite(BrownianStep, nameof(BrownianStep));
        RequireFinite(EdgeWidth, nameof(EdgeWidth), positive: true);
        RequireFinite(Background, nameof(Background));
        RequireFinite(Signal, nameof(Signal));
        RequireFinite(ReadNoise, nameof(ReadNoise));
        if (DivisionProbability is < 0 or > 1 || double.IsNaN(DivisionProbability))
        {
            throw new ArgumentOutOfRangeException(nameof(DivisionProbability), DivisionProbability, "A probability must lie in [0, 1].");
        }

        if (AppearanceProbability is < 0 or > 1 || double.IsNaN(AppearanceProbability))
        {
            throw new ArgumentOutOfRangeException(nameof(AppearanceProbability), AppearanceProbability, "A probability must lie in [0, 1].");
        }

        return this;
    }

    private static void RequireFinite(double value, string name, bool positive = false)
    {
        if (!double.IsFinite(value) || value < 0 || (positive && value == 0))
        {
            throw new ArgumentOutOfRangeException(name, value, positive ? "The value must be finite and positive." : "The value must be finite and not negative.");
        }
    }
}
