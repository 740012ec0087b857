using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;

namespace CellVision.Tracking;

/// <summary>
/// ELEPHANT's flow labels (<c>_update_flow_labels</c>): every voxel of each target ellipsoid (rasterised as for
/// detection labels, at least 9 voxels) gets the link's displacement source − target in voxels divided by the norm
/// factor, and mask 1; later annotations overwrite earlier ones; all other voxels are ignored (mask 0).
/// </summary>
public static class FlowLabelGenerator
{
    /// <summary>The smallest number of voxels of a rasterised ellipsoid (ELEPHANT: 9).</summary>
    public const int MinimumVoxels = 9;

    /// <summary>
    /// The annotations of the frame pair (<paramref name="timepoint"/>, <paramref name="timepoint"/> + 1): the
    /// <see cref="TrackingTag.Approved"/> links from a spot at <paramref name="timepoint"/> to one at the next timepoint,
    /// in the order the links were made (their identifiers). Links that skip timepoints are left out (ELEPHANT would put
    /// their several-frame displacement into this pair).
    /// </summary>
    /// <param name="graph">The lineage graph.</param>
    /// <param name="timepoint">The earlier timepoint t of the pair.</param>
    public static IReadOnlyList<FlowAnnotation> AnnotationsAt(LineageGraph graph, int timepoint)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.SpotsAt(timepoint)
            .SelectMany(spot => spot.Outgoing)
            .Where(link => link.TrackingTag == TrackingTag.Approved && link.Target.Timepoint == timepoint + 1)
            .OrderBy(link => link.Id)
            .Select(FlowAnnotation.FromLink)
            .ToList();
    }

    /// <summary>The flow label of the frame pair (t, t + 1) from the approved links of a lineage graph (see <see cref="AnnotationsAt"/>).</summary>
    /// <param name="graph">The lineage graph.</param>
    /// <param name="timepoint">The earlier timepoint t of the pair.</param>
    /// <param name="shape">(D, H, W) of the frames.</param>
    /// <param name="voxelSize">Physical voxel size.</param>
    /// <param name="normFactor">The network's norm factor (see <see cref="FlowNormFactor.FromKeepAxials"/>).</param>
    public static FlowLabel Generate(LineageGraph graph, int timepoint, (int Depth, int Height, int Width) shape, VoxelSize voxelSize, FlowNormFactor normFactor) =>
        Generate(shape, voxelSize, AnnotationsAt(graph, timepoint), normFactor);

    /// <summary>The flow label of one frame pair from annotations on its later frame.</summary>
    /// <param name="shape">(D, H, W) of the frames.</param>
    /// <param name="voxelSize">Physical voxel size.</param>
    /// <param name="annotations">Target ellipsoids and displacements, painted in order (later ones overwrite).</param>
    /// <param name="normFactor">The network's norm factor (see <see cref="FlowNormFactor.FromKeepAxials"/>).</param>
    /// <exception cref="ArgumentException">An annotation is not finite.</exception>
    public static FlowLabel Generate((int Depth, int Height, int Width) shape, VoxelSize voxelSize, IEnumerable<FlowAnnotation> annotations, FlowNormFactor normFactor)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        voxelSize.Validate();
        normFactor.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(shape.Depth, 1, nameof(shape));
        ArgumentOutOfRangeException.ThrowIfLessThan(shape.Height, 1, nameof(shape));
        ArgumentOutOfRangeException.ThrowIfLessThan(shape.Width, 1, nameof(shape));
        var items = annotations.ToArray();
        foreach (var a in items)
        {
            if (!double.IsFinite(a.X) || !double.IsFinite(a.Y) || !double.IsFinite(a.Z) || !a.Covariance.IsFinite ||
                !double.IsFinite(a.DisplacementX) || !double.IsFinite(a.DisplacementY) || !double.IsFinite(a.DisplacementZ))
            {
                throw new ArgumentException($"The flow annotation at ({a.X}, {a.Y}, {a.Z}) needs a finite centre, covariance and displacement.", nameof(annotations));
            }
        }

        double[] scales = [voxelSize.Z, voxelSize.Y, voxelSize.X];
        int[] dims = [shape.Depth, shape.Height, shape.Width];
        var rasters = new List<int>[items.Length];
        Parallel.For(0, items.Length, n => rasters[n] = Rasterise(items[n].X, items[n].Y, items[n].Z, items[n].Covariance, scales, dims, MinimumVoxels));

        var x = new Volume<float>(shape.Depth, shape.Height, shape.Width, voxelSize);
        var y = new Volume<float>(shape.Depth, shape.Height, shape.Width, voxelSize);
        var z = new Volume<float>(shape.Depth, shape.Height, shape.Width, voxelSize);
        var mask = new Volume<float>(shape.Depth, shape.Height, shape.Width, voxelSize);
        var centroids = new List<(int Z, int Y, int X)>(items.Length);
        for (var n = 0; n < items.Length; n++)
        {
            var a = items[n];
            var (vx, vy, vz) = ((float)(a.DisplacementX / voxelSize.X / normFactor.X), (float)(a.DisplacementY / voxelSize.Y / normFactor.Y), (float)(a.DisplacementZ / voxelSize.Z / normFactor.Z));
            foreach (var index in rasters[n])
            {
                x.Span[index] = vx;
                y.Span[index] = vy;
                z.Span[index] = vz;
                mask.Span[index] = 1;
            }

            // ELEPHANT's pool entry: the centre truncated to a voxel index; kept inside the volume so that a crop can hold it.
            centroids.Add((Clamp(a.Z / voxelSize.Z, shape.Depth), Clamp(a.Y / voxelSize.Y, shape.Height), Clamp(a.X / voxelSize.X, shape.Width)));
        }

        return new FlowLabel(x, y, z, mask, centroids, normFactor);
    }

    /// <summary>Linear indices of a spot's ellipsoid voxels (ELEPHANT's rasterisation with the minimum voxel count).</summary>
    /// <param name="x">Centre X (physical, relative to voxel 0 of the grid).</param>
    /// <param name="y">Centre Y.</param>
    /// <param name="z">Centre Z.</param>
    /// <param name="covariance">The ellipsoid.</param>
    /// <param name="scales">Voxel size (z, y, x).</param>
    /// <param name="dims">Grid size (z, y, x).</param>
    /// <param name="minimumVoxels">Smallest voxel count.</param>
    internal static List<int> Rasterise(double x, double y, double z, Covariance3 covariance, double[] scales, int[] dims, int minimumVoxels)
    {
        var xyz = covariance.ToRowMajor();
        var zyx = new double[9];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                zyx[(i * 3) + j] = xyz[((2 - i) * 3) + (2 - j)];
            }
        }

        var (eigenvalues, rotation) = SymmetricEigen.Decompose(zyx);
        var radii = eigenvalues.Select(v => Math.Sqrt(Math.Max(v, 0))).ToArray();
        return Ellipsoid.Rasterise([z, y, x], radii, rotation, scales, dims, minimumVoxels);
    }

    private static int Clamp(double voxel, int size) => Math.Clamp((int)voxel, 0, size - 1);
}
