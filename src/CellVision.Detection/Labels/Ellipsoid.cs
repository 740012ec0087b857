namespace CellVision.Detection.Labels;

/// <summary>ELEPHANT's ellipsoid rasterisation (<c>util/ellipsoid.py</c>) in Z, Y, X voxel order.</summary>
internal static class Ellipsoid
{
    /// <summary>Linear indices of the voxels inside the ellipsoid, grown until at least <paramref name="minimumVoxels"/> are covered.</summary>
    /// <param name="centre">Centre (z, y, x) in physical units.</param>
    /// <param name="radii">Radii along the rotation's columns, physical.</param>
    /// <param name="rotation">Row-major 3×3 rotation whose columns are the axes.</param>
    /// <param name="scales">Voxel size (z, y, x).</param>
    /// <param name="dims">Volume size (z, y, x).</param>
    /// <param name="minimumVoxels">Minimum count.</param>
    internal static List<int> Rasterise(double[] centre, double[] radii, double[] rotation, double[] scales, int[] dims, int minimumVoxels)
    {
        if (centre.Any(double.IsNaN) || radii.Any(v => !double.IsFinite(v)))
        {
            throw new ArgumentException("A spot's centre and covariance must be finite.", nameof(radii));
        }

        // A flat or point-like spot (zero radius) would never grow; give it a radius far below a voxel instead.
        var r = radii.Select(v => Math.Max(v, 1e-3 * scales.Min())).ToArray();
        minimumVoxels = (int)Math.Min(minimumVoxels, (long)dims[0] * dims[1] * dims[2]);
        var sc = new double[3];
        for (var i = 0; i < 3; i++)
        {
            sc[i] = centre[i] / scales[i];
        }

        while (true)
        {
            var lo = new int[3];
            var hi = new int[3];
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

            var count = (long)(hi[0] - lo[0] + 1) * (hi[1] - lo[1] + 1) * (hi[2] - lo[2] + 1);
            if (count < minimumVoxels)
            {
                for (var k = 0; k < 3; k++)
                {
                    r[k] *= 1.1;
                }

                continue;
            }

            var voxels = new List<(int Index, double Distance)>();
            for (var z = lo[0]; z <= hi[0]; z++)
            for (var y = lo[1]; y <= hi[1]; y++)
            for (var x = lo[2]; x <= hi[2]; x++)
            {
                double[] delta = [scales[0] * (z - sc[0]), scales[1] * (y - sc[1]), scales[2] * (x - sc[2])];
                var distance = 0.0;
                for (var k = 0; k < 3; k++)
                {
                    // q = Rᵀ · delta (R is orthonormal, so R⁻¹ = Rᵀ).
                    var q = (rotation[k] * delta[0]) + (rotation[3 + k] * delta[1]) + (rotation[6 + k] * delta[2]);
                    distance += q / r[k] * (q / r[k]);
                }

                voxels.Add(((((z * dims[1]) + y) * dims[2]) + x, distance));
            }

            var threshold = 1.0;
            while (voxels.Count(v => v.Distance < threshold) < minimumVoxels)
            {
                threshold *= 1.1;
            }

            return voxels.Where(v => v.Distance < threshold).Select(v => v.Index).ToList();
        }
    }
}
