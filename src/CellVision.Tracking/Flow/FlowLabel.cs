using CellVision.Core.Volumes;

namespace CellVision.Tracking;

/// <summary>
/// ELEPHANT's flow label of the frame pair (t, t + 1), on the frame t + 1 grid: per labelled voxel the backward
/// displacement (to frame t) in voxels divided by <see cref="NormFactor"/>, and a mask that is 1 where a voxel is labelled
/// and 0 where it is ignored. <see cref="Centroids"/> are the voxels the training crops are centred around.
/// </summary>
public sealed class FlowLabel : IDisposable
{
    /// <summary>Wraps existing volumes (same shape); the label owns and disposes them.</summary>
    /// <param name="x">Normalised X displacement.</param>
    /// <param name="y">Normalised Y displacement.</param>
    /// <param name="z">Normalised Z displacement.</param>
    /// <param name="mask">1 where labelled, 0 where ignored.</param>
    /// <param name="centroids">Crop-sampling pool (z, y, x voxels inside the volume); may be empty, then labelled voxels are used.</param>
    /// <param name="normFactor">The factor the displacements were divided by.</param>
    /// <exception cref="ArgumentException">The volumes differ in shape or a centroid lies outside them.</exception>
    public FlowLabel(Volume<float> x, Volume<float> y, Volume<float> z, Volume<float> mask, IReadOnlyList<(int Z, int Y, int X)> centroids, FlowNormFactor normFactor)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(centroids);
        foreach (var other in new[] { y, z, mask })
        {
            if (other.Depth != x.Depth || other.Height != x.Height || other.Width != x.Width)
            {
                throw new ArgumentException($"Flow label channels must share one shape; got {x.Depth}×{x.Height}×{x.Width} and {other.Depth}×{other.Height}×{other.Width}.", nameof(mask));
            }
        }

        foreach (var c in centroids)
        {
            if (c.Z < 0 || c.Z >= x.Depth || c.Y < 0 || c.Y >= x.Height || c.X < 0 || c.X >= x.Width)
            {
                throw new ArgumentException($"Centroid ({c.Z}, {c.Y}, {c.X}) lies outside the {x.Depth}×{x.Height}×{x.Width} label.", nameof(centroids));
            }
        }

        X = x;
        Y = y;
        Z = z;
        Mask = mask;
        Centroids = centroids;
        NormFactor = normFactor.Validate();
    }

    /// <summary>X displacement (voxels) / <see cref="FlowNormFactor.X"/>.</summary>
    public Volume<float> X { get; }

    /// <summary>Y displacement (voxels) / <see cref="FlowNormFactor.Y"/>.</summary>
    public Volume<float> Y { get; }

    /// <summary>Z displacement (voxels) / <see cref="FlowNormFactor.Z"/>.</summary>
    public Volume<float> Z { get; }

    /// <summary>1 where labelled, 0 where ignored.</summary>
    public Volume<float> Mask { get; }

    /// <summary>Voxel centroids (z, y, x) of the labelled nuclei: the pool training crops are drawn around.</summary>
    public IReadOnlyList<(int Z, int Y, int X)> Centroids { get; }

    /// <summary>The factor the displacements were divided by.</summary>
    public FlowNormFactor NormFactor { get; }

    /// <summary>Planes.</summary>
    public int Depth => X.Depth;

    /// <summary>Rows.</summary>
    public int Height => X.Height;

    /// <summary>Columns.</summary>
    public int Width => X.Width;

    /// <summary>Whether any voxel is labelled.</summary>
    public bool HasLabels => Mask.Span.ContainsAnyExcept(0f);

    /// <summary>Releases the four volumes.</summary>
    public void Dispose()
    {
        X.Dispose();
        Y.Dispose();
        Z.Dispose();
        Mask.Dispose();
    }
}
