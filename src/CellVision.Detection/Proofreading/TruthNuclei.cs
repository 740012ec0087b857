using CellVision.Core.Annotations;
using CellVision.Core.Volumes;

namespace CellVision.Detection;

/// <summary>The objects of a ground-truth instance mask as moment ellipsoids (<see cref="TruthNucleus"/>).</summary>
public static class TruthNuclei
{
    /// <summary>
    /// Measures every non-zero label of <paramref name="mask"/>: voxel count, centroid and the ellipsoid with the
    /// same second moments (a solid ellipsoid's covariance is a fifth of its squared semi-axes), with the mask's voxel
    /// size. Ordered by label.
    /// </summary>
    /// <param name="mask">Instance labels, 0 for background, with the frame's voxel size.</param>
    /// <returns>One nucleus per label present.</returns>
    public static IReadOnlyList<TruthNucleus> FromMask(Volume<ushort> mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var regions = new Dictionary<int, RegionMoments>();
        var faces = new HashSet<int>();
        Visit(mask, (label, z, y, x) =>
        {
            if (!regions.TryGetValue(label, out var region))
            {
                regions[label] = region = new RegionMoments();
            }

            region.Add(z, y, x, 0);
            if (z == 0 || y == 0 || x == 0 || z == mask.Depth - 1 || y == mask.Height - 1 || x == mask.Width - 1)
            {
                faces.Add(label);
            }
        });
        Visit(mask, (label, z, y, x) => regions[label].AddCentral(z, y, x));

        var size = mask.VoxelSize;
        double[] scale = [size.Z, size.Y, size.X];
        var nuclei = new List<TruthNucleus>(regions.Count);
        foreach (var (label, region) in regions.OrderBy(r => r.Key))
        {
            var n = (double)region.Count;
            var c = region.Centroid;
            // Central moments are (Z, Y, X) in voxels; the covariance is (X, Y, Z) in physical units.
            double M(int a, int b) => 5 * region.Central[(3 * a) + b] / n * scale[a] * scale[b];
            var covariance = new Covariance3(M(2, 2), M(2, 1), M(2, 0), M(1, 1), M(1, 0), M(0, 0));
            nuclei.Add(new TruthNucleus(label, region.Count, c[2] * size.X, c[1] * size.Y, c[0] * size.Z, covariance, faces.Contains(label)));
        }

        return nuclei;
    }

    private static void Visit(Volume<ushort> mask, Action<int, int, int, int> visit)
    {
        var span = mask.Span;
        var i = 0;
        for (var z = 0; z < mask.Depth; z++)
        {
            for (var y = 0; y < mask.Height; y++)
            {
                for (var x = 0; x < mask.Width; x++, i++)
                {
                    int label = span[i];
                    if (label != 0)
                    {
                        visit(label, z, y, x);
                    }
                }
            }
        }
    }
}
