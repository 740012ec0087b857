using CellVision.Torch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CellVision;

/// <summary>
/// The one object a CellVision program starts from: created with a seed and an optional logger, it offers every
/// capability through its catalogs — <see cref="Movies"/> (open and save any supported format), <see cref="Detection"/>
/// (train ELEPHANT's nucleus detector from a few annotated nuclei, detect), <see cref="Tracking"/> (link nuclei into
/// lineages, with or without optical flow), <see cref="Lineages"/> (TrackMate, CSV and Cell Tracking Challenge files,
/// CTC scores) and <see cref="Segmentation"/> (CLAHE, segmentation scores).
/// </summary>
/// <remarks>
/// With a seed, everything random that the context starts is drawn from it: the networks' initial weights, training
/// crops, augmentations and flips, and synthetic movies. The same seed then gives the same weights, bit for bit, and
/// the same detections and tracks, whichever route (library, command line, hosting) runs the work. Without a seed every
/// run differs. The seed also seeds libtorch's process-wide generator when the context is created, as
/// <c>torch.manual_seed</c> would.
/// </remarks>
/// <example>
/// <code>
/// var cv = new CellVisionContext(seed: 5);
/// using var movie = cv.Movies.Open("movie.xml");
/// using var detector = cv.Detection.Train(movie, cv.Lineages.Load("annotations.csv"));
/// var nuclei = cv.Detection.Detect(detector, movie);
/// cv.Tracking.Link(nuclei);
/// cv.Lineages.Save(nuclei, "tracks.xml", movie);
/// </code>
/// </example>
public sealed class CellVisionContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="seed">Seeds everything random the context starts; null for a different run each time.</param>
    /// <param name="loggerFactory">Receives the operations, warnings and errors of the catalogs' work; null for none.</param>
    public CellVisionContext(int? seed = null, ILoggerFactory? loggerFactory = null)
    {
        Seed = seed;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        if (seed is int value)
        {
            TorchRuntime.ManualSeed(unchecked((ulong)value));
        }

        Movies = new MovieCatalog(this);
        Detection = new DetectionCatalog(this);
        Tracking = new TrackingCatalog(this);
        Lineages = new LineageCatalog(this);
        Segmentation = new SegmentationCatalog(this);
    }

    /// <summary>The seed of everything random the context starts, or null.</summary>
    public int? Seed { get; }

    /// <summary>Where the catalogs' work is logged.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Opening and saving movies: BigDataViewer, Zarr v2/v3, OME-Zarr, TIFF, CTC folders; synthetic movies.</summary>
    public MovieCatalog Movies { get; }

    /// <summary>ELEPHANT's nucleus detector: train from annotations, load, detect.</summary>
    public DetectionCatalog Detection { get; }

    /// <summary>Linking nuclei into lineages: ELEPHANT's nearest-neighbour linking, optionally corrected by its flow model.</summary>
    public TrackingCatalog Tracking { get; }

    /// <summary>Lineage files (TrackMate XML, CSV, Cell Tracking Challenge) and their scores.</summary>
    public LineageCatalog Lineages { get; }

    /// <summary>Image preparation: CLAHE exactly as scikit-image, in memory or block-wise over chunked volumes; segmentation scores (VOI, adapted Rand error).</summary>
    public SegmentationCatalog Segmentation { get; }
}
