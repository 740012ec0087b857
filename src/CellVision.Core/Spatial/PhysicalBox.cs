using CellVision.Core.Geometry;
using CellVision.Core.Volumes;

namespace CellVision.Core.Spatial;

/// <summary>
/// An axis-aligned box in physical coordinates: an origin and a size per axis. A point is inside when
/// <c>origin ≤ p &lt; origin + size</c> on every axis (half-open, as ELEPHANT's crop boxes).
/// </summary>
/// <param name="Origin">The lowest corner.</param>
/// <param name="Size">The extent along X, Y and Z (each ≥ 0).</param>
public readonly record struct PhysicalBox(Point3 Origin, Point3 Size)
{
    /// <summary>The physical box of a voxel box: voxel k starts at k · voxel size, as ELEPHANT's client converts its crop box.</summary>
    /// <param name="voxels">A (Z, Y, X) box of voxel indices.</param>
    /// <param name="voxelSize">The voxel size.</param>
    /// <exception cref="ArgumentException">The box does not have three dimensions.</exception>
    public static PhysicalBox FromVoxels(Box voxels, VoxelSize voxelSize)
    {
        if (voxels.Rank != 3)
        {
            throw new ArgumentException($"A crop box has three dimensions (Z, Y, X); got {voxels.Rank}.", nameof(voxels));
        }

        return new PhysicalBox(
            new Point3(voxels.Start[2] * voxelSize.X, voxels.Start[1] * voxelSize.Y, voxels.Start[0] * voxelSize.Z),
            new Point3(voxels.Size[2] * voxelSize.X, voxels.Size[1] * voxelSize.Y, voxels.Size[0] * voxelSize.Z));
    }

    /// <summary>Whether the point lies inside the box (lower faces included, upper faces excluded).</summary>
    /// <param name="x">X.</param>
    /// <param name="y">Y.</param>
    /// <param name="z">Z.</param>
    public bool Contains(double x, double y, double z) =>
        x >= Origin.X && x < Origin.X + Size.X &&
        y >= Origin.Y && y < Origin.Y + Size.Y &&
        z >= Origin.Z && z < Origin.Z + Size.Z;

    /// <summary>Whether the point lies inside the box.</summary>
    /// <param name="point">The point.</param>
    public bool Contains(Point3 point) => Contains(point.X, point.Y, point.Z);
}
