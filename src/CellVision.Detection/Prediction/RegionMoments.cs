namespace CellVision.Detection;

/// <summary>Voxel count, bounding box, centroid, mean probability and second central moments of one component.</summary>
internal sealed class RegionMoments
{
    private readonly int[] min = [int.MaxValue, int.MaxValue, int.MaxValue];
    private readonly int[] max = [int.MinValue, int.MinValue, int.MinValue];
    private readonly long[] sum = new long[3];
    private double probabilitySum;
    private double[]? centroid;

    /// <summary>Number of voxels.</summary>
    internal long Count { get; private set; }

    /// <summary>Mean voxel coordinate (Z, Y, X).</summary>
    internal double[] Centroid => centroid ??= [sum[0] / (double)Count, sum[1] / (double)Count, sum[2] / (double)Count];

    /// <summary>Bounding-box size (Z, Y, X) in voxels.</summary>
    internal int[] Extent => [max[0] - min[0] + 1, max[1] - min[1] + 1, max[2] - min[2] + 1];

    /// <summary>Mean probability over the component.</summary>
    internal double Quality => probabilitySum / Count;

    /// <summary>Σ (k_i − mean_i)(k_j − mean_j) over the voxels, row-major (Z, Y, X).</summary>
    internal double[] Central { get; } = new double[9];

    /// <summary>First pass: counts a voxel.</summary>
    internal void Add(int z, int y, int x, float probability)
    {
        Count++;
        Extend(0, z);
        Extend(1, y);
        Extend(2, x);

        probabilitySum += probability;
    }

    /// <summary>Second pass (after all <see cref="Add"/> calls): accumulates the central moments.</summary>
    internal void AddCentral(int z, int y, int x)
    {
        var mean = Centroid;
        var (dz, dy, dx) = (z - mean[0], y - mean[1], x - mean[2]);
        Central[0] += dz * dz;
        Central[1] += dz * dy;
        Central[2] += dz * dx;
        Central[4] += dy * dy;
        Central[5] += dy * dx;
        Central[8] += dx * dx;
        Central[3] = Central[1];
        Central[6] = Central[2];
        Central[7] = Central[5];
    }

    private void Extend(int axis, int coordinate)
    {
        sum[axis] += coordinate;
        min[axis] = Math.Min(min[axis], coordinate);
        max[axis] = Math.Max(max[axis], coordinate);
    }
}
