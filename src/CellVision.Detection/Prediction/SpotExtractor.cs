using CellVision.Core.Geometry;
using CellVision.Core.Volumes;

namespace CellVision.Detection;

/// <summary>
/// Turns a centre-probability map into nuclei as ELEPHANT does: threshold, 26-connected components, and for each
/// component its centroid and an ellipsoid from its second moments, scaled from the centre to the whole nucleus.
/// </summary>
public static class SpotExtractor
{
    /// <summary>Finds the nuclei of one frame.</summary>
    /// <param name="centreProbability">Probability of the nucleus-centre class, (D, H, W).</param>
    /// <param name="voxelSize">Physical voxel size; positions and radii are in its units.</param>
    /// <param name="options">Threshold, centre ratio and radius limits; null for ELEPHANT's client defaults.</param>
    /// <param name="originVoxels">Position of the map's first voxel in the frame, (Z, Y, X) voxels (a crop's origin).</param>
    /// <returns>The nuclei in order of their first voxel (raster order).</returns>
    public static IReadOnlyList<DetectedSpot> Extract(Volume<float> centreProbability, VoxelSize voxelSize, SpotExtractionOptions? options = null, (int Z, int Y, int X) originVoxels = default)
    {
        ArgumentNullException.ThrowIfNull(centreProbability);
        options ??= new SpotExtractionOptions();
        Validate(options, voxelSize);
        var (depth, height, width) = (centreProbability.Depth, centreProbability.Height, centreProbability.Width);
        var probability = centreProbability.Span;
        var foreground = new bool[probability.Length];
        for (var i = 0; i < probability.Length; i++)
        {
            foreground[i] = probability[i] > options.ProbabilityThreshold;
        }

        var labels = ConnectedComponents.Label(foreground, depth, height, width, out var count);
        var regions = new RegionMoments[count + 1];
        for (var r = 1; r <= count; r++)
        {
            regions[r] = new RegionMoments();
        }

        for (var pass = 0; pass < 2; pass++)
        {
            var index = 0;
            for (var z = 0; z < depth; z++)
            {
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++, index++)
                    {
                        var label = labels[index];
                        if (label == 0)
                        {
                            continue;
                        }

                        if (pass == 0)
                        {
                            regions[label].Add(z, y, x, probability[index]);
                        }
                        else
                        {
                            regions[label].AddCentral(z, y, x);
                        }
                    }
                }
            }
        }

        double[] scales = [voxelSize.Z, voxelSize.Y, voxelSize.X];
        var minimumArea = 4.0 / 3.0 * Math.PI * Math.Pow(options.MinimumRadius * options.CentreRatio, 3) / (scales[0] * scales[1] * scales[2]);
        var spots = new List<DetectedSpot>();
        for (var r = 1; r <= count; r++)
        {
            var spot = ToSpot(regions[r], scales, minimumArea, options, originVoxels);
            if (spot is not null)
            {
                spots.Add(spot);
            }
        }

        return spots;
    }

    private static void Validate(SpotExtractionOptions options, VoxelSize voxelSize)
    {
        if (!(options.CentreRatio > 0 && options.CentreRatio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.CentreRatio, "The centre ratio must be in (0, 1].");
        }

        if (!(options.MinimumRadius >= 0 && options.MaximumRadius >= options.MinimumRadius))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"Radius limits must satisfy 0 ≤ minimum ≤ maximum; got {options.MinimumRadius} and {options.MaximumRadius}.");
        }

        if (!(voxelSize.X > 0 && voxelSize.Y > 0 && voxelSize.Z > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(voxelSize), voxelSize, "Voxel sizes must be positive.");
        }
    }

    private static DetectedSpot? ToSpot(RegionMoments region, double[] scales, double minimumArea, SpotExtractionOptions options, (int Z, int Y, int X) origin)
    {
        if (region.Count < minimumArea)
        {
            return null;
        }

        var centroid = region.Centroid;
        double[] position = [(origin.Z + centroid[0]) * scales[0], (origin.Y + centroid[1]) * scales[1], (origin.X + centroid[2]) * scales[2]];

        // ELEPHANT's "correction for floor effect": voxel k of the bounding box sits at k·s·(n+1)/n.
        var extent = region.Extent;
        var corrected = new double[3];
        for (var i = 0; i < 3; i++)
        {
            corrected[i] = scales[i] * (extent[i] + 1.0) / extent[i];
        }

        if (options.SliceWiseCentres)
        {
            corrected[0] *= options.CentreRatio;
        }

        var covariance = new double[9];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                covariance[(i * 3) + j] = region.Central[(i * 3) + j] * corrected[i] * corrected[j] / region.Count;
            }
        }

        if (covariance.All(v => v == 0))
        {
            return null;
        }

        var (eigenvalues, vectors) = SymmetricEigen.Decompose(covariance);
        if (eigenvalues.Any(v => v < 0))
        {
            return null;
        }

        var radii = new double[3];
        for (var i = 0; i < 3; i++)
        {
            radii[i] = 2 * Math.Sqrt(eigenvalues[i]) / options.CentreRatio;
            if (!(radii[i] > 0))
            {
                radii[i] = Math.Max(options.MinimumRadius, scales[options.ReferenceFlatAxisRule ? i : DominantAxis(vectors, i)]);
            }
        }

        if (radii.Any(r => r < options.MinimumRadius))
        {
            return null;
        }

        var zyx = new double[9];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                double sum = 0;
                for (var k = 0; k < 3; k++)
                {
                    var r = Math.Min(options.MaximumRadius, radii[k]);
                    sum += vectors[(i * 3) + k] * r * r * vectors[(j * 3) + k];
                }

                zyx[(i * 3) + j] = sum;
            }
        }

        var xyz = new double[9];
        for (var i = 0; i < 9; i++)
        {
            xyz[i] = zyx[8 - i];
        }

        return new DetectedSpot(position[2], position[1], position[0], xyz, region.Quality);
    }

    /// <summary>The image axis (Z, Y, X) that eigenvector <paramref name="column"/> is most aligned with.</summary>
    private static int DominantAxis(double[] vectors, int column)
    {
        var best = 0;
        for (var axis = 1; axis < 3; axis++)
        {
            if (Math.Abs(vectors[(axis * 3) + column]) > Math.Abs(vectors[(best * 3) + column]))
            {
                best = axis;
            }
        }

        return best;
    }
}
