using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>
/// The reference seed policy <c>PolicyPeaks</c> (spec A.3.8): seeds at the peaks of the distance to image edges.
/// Edges are voxels whose Sobel gradient magnitude exceeds its Gaussian-smoothed self (σ = 49/6); the distance to the
/// nearest edge is set to −1 where seeding is excluded, NumPy's <c>RandomState(42).rand</c> · 10⁻⁴ breaks ties (the
/// float32 distance plus the float64 noise is a float64 image, as in the reference's <c>_find_peaks</c>), peaks are
/// found as scikit-image's <c>peak_local_max(min_distance=3)</c> does, sorted by (Z, Y, X), and those closer than the
/// margin to a face are dropped.
/// </summary>
internal static class PeakSeedPolicy
{
    /// <summary>Sigma of the adaptive edge threshold (49/6, seed.py).</summary>
    internal const double ThresholdSigma = 49.0 / 6.0;

    /// <summary>The <c>min_distance</c> of the peak search (3).</summary>
    internal const int PeakDistance = 3;

    /// <summary>The seed of the tie-breaking noise (42).</summary>
    internal const uint NoiseSeed = 42;

    /// <summary>The seeds in (Z, Y, X) order.</summary>
    /// <param name="image">The normalised image.</param>
    /// <param name="excluded">Voxels where no seed may go (already segmented or outside the allowed region); null for none.</param>
    /// <param name="forbidden">Voxels outside the allowed region, which also count as edges; null for none.</param>
    /// <param name="margin">Seeds need this many voxels of image on each side (the network's field-of-view radius).</param>
    /// <param name="cancellationToken">Stops between passes.</param>
    internal static List<(int Z, int Y, int X)> Seeds(Volume<float> image, ReadOnlySpan<bool> excluded, ReadOnlySpan<bool> forbidden, (int Z, int Y, int X) margin, CancellationToken cancellationToken)
    {
        var shape = (image.Depth, image.Height, image.Width);
        var pixels = image.Span.ToArray();
        var edges = SobelGradientMagnitude.Compute(pixels, shape, cancellationToken);
        var threshold = GaussianSmoothing.Compute(edges, shape, ThresholdSigma, cancellationToken);
        var isEdge = Edges(edges, threshold, forbidden);
        if (Array.TrueForAll(isEdge, e => e))
        {
            return [];
        }

        var distance = Distances(isEdge, excluded, shape, cancellationToken);
        var peaks = LocalMaximumPeaks.Find(WithNoise(distance), shape, PeakDistance, cancellationToken);
        var seeds = new List<(int Z, int Y, int X)>(peaks.Count);
        foreach (var index in peaks)
        {
            var (z, y, x) = (index / (image.Height * image.Width), index / image.Width % image.Height, index % image.Width);
            if (z - margin.Z >= 0 && y - margin.Y >= 0 && x - margin.X >= 0 &&
                z + margin.Z < image.Depth && y + margin.Y < image.Height && x + margin.X < image.Width)
            {
                seeds.Add((z, y, x));
            }
        }

        return seeds;
    }

    /// <summary><c>edges &gt; threshold</c>, with forbidden voxels forced to edges (so that a large masked area does not distort the distances).</summary>
    internal static bool[] Edges(float[] edges, float[] threshold, ReadOnlySpan<bool> forbidden)
    {
        var isEdge = new bool[edges.Length];
        for (var i = 0; i < isEdge.Length; i++)
        {
            isEdge[i] = edges[i] > threshold[i] || (!forbidden.IsEmpty && forbidden[i]);
        }

        return isEdge;
    }

    /// <summary>The distance to the nearest edge voxel, −1 where seeding is excluded or the distance is not finite (no edge at all).</summary>
    internal static float[] Distances(bool[] isEdge, ReadOnlySpan<bool> excluded, (int Depth, int Height, int Width) shape, CancellationToken cancellationToken)
    {
        var distance = EdgeDistanceTransform.Compute(isEdge, shape, cancellationToken);
        for (var i = 0; i < distance.Length; i++)
        {
            if ((!excluded.IsEmpty && excluded[i]) || !float.IsFinite(distance[i]))
            {
                distance[i] = -1;
            }
        }

        return distance;
    }

    /// <summary>The peak image: the distance plus <c>RandomState(42).rand()·1e-4</c> in C order, summed in float64.</summary>
    internal static double[] WithNoise(float[] distance)
    {
        var random = new LegacyRandomState(NoiseSeed);
        var noisy = new double[distance.Length];
        for (var i = 0; i < noisy.Length; i++)
        {
            noisy[i] = distance[i] + (random.NextDouble() * 1e-4);
        }

        return noisy;
    }
}
