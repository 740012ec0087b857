namespace CellVision.Core.Geometry;

/// <summary>ELEPHANT's ellipsoid rasterisation (<c>util/ellipsoid.py</c>) in Z, Y, X voxel order, with one <see cref="EllipsoidRaster"/> per thread.</summary>
public static class Ellipsoid
{
    [ThreadStatic]
    private static EllipsoidRaster? raster;

    /// <summary>Linear indices of the voxels inside the ellipsoid, ascending, grown until at least <paramref name="minimumVoxels"/> are covered.</summary>
    /// <param name="centre">Centre (z, y, x) in physical units.</param>
    /// <param name="radii">Radii along the rotation's columns, physical.</param>
    /// <param name="rotation">Row-major 3×3 rotation whose columns are the axes.</param>
    /// <param name="scales">Voxel size (z, y, x).</param>
    /// <param name="dims">Volume size (z, y, x).</param>
    /// <param name="minimumVoxels">Minimum count.</param>
    public static List<int> Rasterise(double[] centre, double[] radii, double[] rotation, double[] scales, int[] dims, int minimumVoxels) =>
        (raster ??= new EllipsoidRaster()).Voxels(centre, radii, rotation, scales, dims, minimumVoxels);
}
