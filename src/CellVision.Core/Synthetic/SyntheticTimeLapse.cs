using CellVision.Core.Annotations;
using CellVision.Core.Volumes;

namespace CellVision.Core.Synthetic;

/// <summary>
/// A synthetic 3D+t movie of fluorescent nuclei with its exact ground truth: nuclei move by Brownian steps plus a
/// drift, divide, enter the field of view and leave it; frames are blurred, on a background, with Poisson (shot) and
/// Gaussian (read) noise. The truth is a <see cref="LineageGraph"/> (centres and radii in µm) and one label mask per
/// frame whose values are the tracklet labels of <see cref="LineageGraph.Tracklets"/>, as Cell Tracking Challenge
/// ground truth numbers its tracks. The same options (and seed) always give the same movie.
/// </summary>
public sealed class SyntheticTimeLapse : IDisposable
{
    private readonly Volume<ushort>[] images;
    private readonly Volume<ushort>[] masks;

    private SyntheticTimeLapse(SyntheticTimeLapseOptions options, LineageGraph truth, IReadOnlyList<Tracklet> tracklets, Volume<ushort>[] images, Volume<ushort>[] masks)
    {
        Options = options;
        Truth = truth;
        Tracklets = tracklets;
        this.images = images;
        this.masks = masks;
    }

    /// <summary>The options the movie was made with.</summary>
    public SyntheticTimeLapseOptions Options { get; }

    /// <summary>The true nuclei and their lineages (positions in µm; covariance = radius² on the diagonal).</summary>
    public LineageGraph Truth { get; }

    /// <summary>The truth cut into tracklets; tracklet <c>Label</c> is the value of its nuclei in <see cref="Masks"/>.</summary>
    public IReadOnlyList<Tracklet> Tracklets { get; }

    /// <summary>One uint16 frame per timepoint (Z, Y, X).</summary>
    public IReadOnlyList<Volume<ushort>> Images => images;

    /// <summary>One label mask per timepoint: 0 = background, otherwise the tracklet label of the nucleus.</summary>
    public IReadOnlyList<Volume<ushort>> Masks => masks;

    /// <summary>Makes a movie.</summary>
    /// <param name="options">The settings (defaults when null).</param>
    /// <param name="cancellationToken">Cancels the rendering.</param>
    /// <returns>The movie; dispose it to return its buffers.</returns>
    public static SyntheticTimeLapse Generate(SyntheticTimeLapseOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = (options ?? new SyntheticTimeLapseOptions()).Validate();
        var truth = new NucleusMotion(options).Simulate(cancellationToken);
        var tracklets = truth.Tracklets();
        if (tracklets.Count > ushort.MaxValue)
        {
            throw new ArgumentException($"The movie has {tracklets.Count} tracklets, more than a uint16 mask can label.", nameof(options));
        }

        var labels = new Dictionary<Spot, ushort>();
        foreach (var tracklet in tracklets)
        {
            foreach (var spot in tracklet.Spots)
            {
                labels[spot] = (ushort)tracklet.Label;
            }
        }

        var images = new Volume<ushort>[options.Timepoints];
        var masks = new Volume<ushort>[options.Timepoints];
        try
        {
            var renderer = new NucleusRenderer(options);
            for (var t = 0; t < options.Timepoints; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                (images[t], masks[t]) = renderer.Render(t, truth.SpotsAt(t), labels, cancellationToken);
            }
        }
        catch
        {
            foreach (var volume in images.Concat(masks))
            {
                volume?.Dispose();
            }

            throw;
        }

        return new SyntheticTimeLapse(options, truth, tracklets, images, masks);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var volume in images.Concat(masks))
        {
            volume.Dispose();
        }
    }
}
