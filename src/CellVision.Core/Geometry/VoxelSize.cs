namespace CellVision.Core.Geometry;

/// <summary>
/// The physical size of one voxel in micrometres along X, Y and Z. Arrays are stored Z, Y, X (C order); physical
/// positions are X, Y, Z in micrometres. This is the one place where the two are converted.
/// </summary>
/// <param name="X">Width of a voxel in µm.</param>
/// <param name="Y">Height of a voxel in µm.</param>
/// <param name="Z">Depth of a voxel (the step between planes) in µm.</param>
public readonly record struct VoxelSize(double X, double Y, double Z)
{
    /// <summary>Isotropic 1 µm voxels.</summary>
    public static VoxelSize Unit { get; } = new(1, 1, 1);

    /// <summary>Checks that every size is finite and positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is zero, negative or not finite.</exception>
    public VoxelSize Validate()
    {
        foreach (var (value, name) in new[] { (X, nameof(X)), (Y, nameof(Y)), (Z, nameof(Z)) })
        {
            if (!double.IsFinite(value) || value <= 0)
            {
                throw new ArgumentOutOfRangeException(name, value, $"Voxel size {name} must be a finite number of micrometres greater than 0.");
            }
        }

        return this;
    }

    /// <summary>Converts a voxel index (z, y, x) — fractional allowed — to a physical position (x, y, z) in µm.</summary>
    /// <param name="z">Plane index.</param>
    /// <param name="y">Row index.</param>
    /// <param name="x">Column index.</param>
    public (double X, double Y, double Z) ToPhysical(double z, double y, double x) => (x * X, y * Y, z * Z);

    /// <summary>Converts a physical position (x, y, z) in µm to a fractional voxel index (z, y, x).</summary>
    /// <param name="x">Position along X in µm.</param>
    /// <param name="y">Position along Y in µm.</param>
    /// <param name="z">Position along Z in µm.</param>
    public (double Z, double Y, double X) ToVoxel(double x, double y, double z) => (z / Z, y / Y, x / X);

    /// <summary>The volume of one voxel in µm³.</summary>
    public double Volume => X * Y * Z;
}
