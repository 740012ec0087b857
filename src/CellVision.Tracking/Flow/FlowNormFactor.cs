using CellVision.Networks;
namespace CellVision.Tracking;

/// <summary>
/// The displacement, in voxels along X, Y and Z, that a flow-network output of ±1 stands for: labels are divided by it
/// and predictions multiplied by it. ELEPHANT uses (m, m, m / 2^n) with m the maximum displacement (client default 80
/// voxels) and n the number of U-Net levels that keep Z (its n_keep_axials), because Z voxels are about 2^n times
/// larger than X and Y voxels.
/// </summary>
/// <param name="X">Voxels along X.</param>
/// <param name="Y">Voxels along Y.</param>
/// <param name="Z">Voxels along Z.</param>
public readonly record struct FlowNormFactor(double X, double Y, double Z)
{
    /// <summary>ELEPHANT's default maximum displacement: 80 voxels.</summary>
    public const double DefaultMaxDisplacement = 80;

    /// <summary>
    /// (80, 80, 10): ELEPHANT's factor for its client's usual anisotropy (n_keep_axials 3), and the factor its flow loss
    /// always warps with.
    /// </summary>
    public static FlowNormFactor Elephant { get; } = new(80, 80, 10);

    /// <summary>(m, m, m / 2^<paramref name="keptLevels"/>).</summary>
    /// <param name="maxDisplacement">Maximum displacement m in X/Y voxels (ELEPHANT: 80).</param>
    /// <param name="keptLevels">ELEPHANT's n_keep_axials: the exponent of the power of two nearest the anisotropy (see <see cref="KeepAxials.LevelsFromAnisotropy"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">m is not finite and positive, or the level count is negative.</exception>
    public static FlowNormFactor FromMaxDisplacement(double maxDisplacement, int keptLevels)
    {
        if (!double.IsFinite(maxDisplacement) || maxDisplacement <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDisplacement), maxDisplacement, "The maximum displacement must be a finite number of voxels greater than 0.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(keptLevels);
        return new FlowNormFactor(maxDisplacement, maxDisplacement, maxDisplacement / Math.Pow(2, keptLevels));
    }

    /// <summary>(m, m, m / 2^n) with n the number of true flags, i.e. the levels that keep Z.</summary>
    /// <param name="keepAxials">The model's four keep-axial flags.</param>
    /// <param name="maxDisplacement">Maximum displacement m in X/Y voxels (ELEPHANT: 80).</param>
    public static FlowNormFactor FromKeepAxials(ReadOnlySpan<bool> keepAxials, double maxDisplacement = DefaultMaxDisplacement)
    {
        var kept = 0;
        foreach (var keep in keepAxials)
        {
            kept += keep ? 1 : 0;
        }

        return FromMaxDisplacement(maxDisplacement, kept);
    }

    /// <summary>Checks that every factor is finite and positive.</summary>
    /// <returns>This factor.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A factor is zero, negative or not finite.</exception>
    public FlowNormFactor Validate()
    {
        foreach (var (value, name) in new[] { (X, nameof(X)), (Y, nameof(Y)), (Z, nameof(Z)) })
        {
            if (!double.IsFinite(value) || value <= 0)
            {
                throw new ArgumentOutOfRangeException(name, value, $"Flow norm factor {name} must be a finite number of voxels greater than 0.");
            }
        }

        return this;
    }
}
