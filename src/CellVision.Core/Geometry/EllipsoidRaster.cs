namespace CellVision.Core.Geometry;

/// <summary>
/// ELEPHANT's ellipsoid rasterisation (<c>util/ellipsoid.py</c>) in Z, Y, X voxel order, without per-voxel allocations:
/// the voxels of the bounding box and their distances live in buffers reused from call to call (label generation, flow
/// labels and the 16 shells per spot of the CTC export). Not thread-safe: use one instance per thread.
/// </summary>
public sealed class EllipsoidRaster
{
    private int[] indices = new int[4096];
    private double[] distances = new double[4096];

    /// <summary>Sets to <paramref name="value"/> every voxel of the ellipsoid, grown until at least <paramref name="minimumVoxels"/> are covered.</summary>
    /// <param name="target">The volume's voxels, Z, Y, X order.</param>
    /// <param name="value">The label to write.</param>
    /// <param name="centre">Centre (z, y, x) in physical units.</param>
    /// <param name="radii">Radii along the rotation's columns, physical.</param>
    /// <param name="rotation">Row-major 3×3 rotation whose columns are the axes.</param>
    /// <param name="scales">Voxel size (z, y, x).</param>
    /// <param name="dims">Volume size (z, y, x).</param>
    /// <param name="minimumVoxels">Minimum count.</param>
    /// <returns>The number of voxels written.</returns>
    public int Fill(Span<ushort> target, ushort value, ReadOnlySpan<double> centre, ReadOnlySpan<double> radii, ReadOnlySpan<double> rotation, ReadOnlySpan<double> scales, ReadOnlySpan<int> dims, int minimumVoxels)
    {
        var count = Rasterise(centre, radii, rotation, scales, dims, minimumVoxels, out var threshold);
        var written = 0;
        for (var i = 0; i < count; i++)
        {
            if (distances[i] < threshold)
            {
                target[indices[i]] = value;
                written++;
            }
        }

        return written;
    }

    /// <summary>Linear indices of the voxels inside the ellipsoid, ascending, grown until at least <paramref name="minimumVoxels"/> are covered.</summary>
    /// <param name="centre">Centre (z, y, x) in physical units.</param>
    /// <param name="radii">Radii along the rotation's columns, physical.</param>
    /// <param name="rotation">Row-major 3×3 rotation whose columns are the axes.</param>
    /// <param name="scales">Voxel size (z, y, x).</param>
    /// <param name="dims">Volume size (z, y, x).</param>
    /// <param name="minimumVoxels">Minimum count.</param>
    public List<int> Voxels(ReadOnlySpan<double> centre, ReadOnlySpan<double> radii, ReadOnlySpan<double> rotation, ReadOnlySpan<double> scales, ReadOnlySpan<int> dims, int minimumVoxels)
    {
        var count = Rasterise(centre, radii, rotation, scales, dims, minimumVoxels, out var threshold);
        var result = new List<int>();
        for (var i = 0; i < count; i++)
        {
            if (distances[i] < threshold)
            {
                result.Add(indices[i]);
            }
        }

        return result;
    }

    private int Rasterise(ReadOnlySpan<double> centre, ReadOnlySpan<double> radii, ReadOnlySpan<double> rotation, ReadOnlySpan<double> scales, ReadOnlySpan<int> dims, int minimumVoxels, out double threshold)
    {
        for (var k = 0; k < 3; k++)
        {
            if (double.IsNaN(centre[k]) || !double.IsFinite(radii[k]))
            {
                throw new ArgumentException("A spot's centre and covariance must be finite.", nameof(radii));
            }
        }

        var minScale = Math.Min(Math.Min(scales[0], scales[1]), scales[2]);
        Span<double> r = [Math.Max(radii[0], 1e-3 * minScale), Math.Max(radii[1], 1e-3 * minScale), Math.Max(radii[2], 1e-3 * minScale)];
        minimumVoxels = (int)Math.Min(minimumVoxels, (long)dims[0] * dims[1] * dims[2]);
        Span<double> sc = [centre[0] / scales[0], centre[1] / scales[1], centre[2] / scales[2]];
        Span<int> lo = stackalloc int[3];
        Span<int> hi = stackalloc int[3];
        while (true)
        {
            for (var axis = 0; axis < 3; axis++)
            {
                var half = 0.0;
                for (var corner = 0; corner < 8; corner++)
                {
                    var value = 0.0;
                    for (var k = 0; k < 3; k++)
                    {
                        var sign = ((corner >> (2 - k)) & 1) == 0 ? -1.0 : 1.0;
                        value += rotation[(axis * 3) + k] * r[k] * sign;
                    }

                    half = Math.Max(half, Math.Abs(value / scales[axis]));
                }

                lo[axis] = Math.Clamp((int)Math.Floor(sc[axis] - half), 0, dims[axis] - 1);
                hi[axis] = Math.Clamp((int)Math.Ceiling(sc[axis] + half), 0, dims[axis] - 1);
            }

            var boxVoxels = (long)(hi[0] - lo[0] + 1) * (hi[1] - lo[1] + 1) * (hi[2] - lo[2] + 1);
            if (boxVoxels < minimumVoxels)
            {
                for (var k = 0; k < 3; k++)
                {
                    r[k] *= 1.1;
                }

                continue;
            }

            if (boxVoxels > indices.Length)
            {
                var size = (int)Math.Min(Array.MaxLength, Math.Max(boxVoxels, 2L * indices.Length));
                indices = new int[size];
                distances = new double[size];
            }

            var n = 0;
            for (var z = lo[0]; z <= hi[0]; z++)
            {
                var dz = scales[0] * (z - sc[0]);
                for (var y = lo[1]; y <= hi[1]; y++)
                {
                    var dy = scales[1] * (y - sc[1]);
                    var rowStart = ((z * dims[1]) + y) * dims[2];
                    for (var x = lo[2]; x <= hi[2]; x++)
                    {
                        var dx = scales[2] * (x - sc[2]);
                        var distance = 0.0;
                        for (var k = 0; k < 3; k++)
                        {
                            // q = Rᵀ · delta (R is orthonormal, so R⁻¹ = Rᵀ).
                            var q = (rotation[k] * dz) + (rotation[3 + k] * dy) + (rotation[6 + k] * dx);
                            distance += q / r[k] * (q / r[k]);
                        }

                        indices[n] = rowStart + x;
                        distances[n] = distance;
                        n++;
                    }
                }
            }

            threshold = 1.0;
            while (CountBelow(n, threshold) < minimumVoxels)
            {
                threshold *= 1.1;
            }

            return n;
        }
    }

    private int CountBelow(int n, double threshold)
    {
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            if (distances[i] < threshold)
            {
                count++;
            }
        }

        return count;
    }
}
