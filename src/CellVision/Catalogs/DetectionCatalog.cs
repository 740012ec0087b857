using CellVision.Core.Annotations;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.Networks;
using Microsoft.Extensions.Logging;

namespace CellVision;

/// <summary>
/// ELEPHANT's nucleus detector: train one from a few annotated nuclei (train → a <see cref="NucleusDetector"/> holding
/// the weights, the keep-Z levels and the normalisation), load one from a <c>.pth</c> file, detect nuclei in a movie.
/// </summary>
public sealed class DetectionCatalog
{
    private readonly CellVisionContext context;

    internal DetectionCatalog(CellVisionContext context) => this.context = context;

    /// <summary>An untrained detector (random weights drawn from the context's seed).</summary>
    /// <param name="options">Every setting; null for ELEPHANT's defaults.</param>
    /// <returns>The detector; the caller disposes it.</returns>
    public NucleusDetector Create(NucleusDetectorOptions? options = null) => new(Seeded(options), context.LoggerFactory.CreateLogger<NucleusDetector>());

    /// <summary>A detector holding the weights of a <c>.pth</c> file (a state dict with ELEPHANT's keys, or a list of them: an ensemble).</summary>
    /// <param name="path">The file (ELEPHANT's, PyTorch's or one CellVision saved).</param>
    /// <param name="options">Every setting; null for ELEPHANT's defaults.</param>
    /// <returns>The detector; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file is not a readable state dict.</exception>
    /// <exception cref="ArgumentException">The keys or shapes are not the detection U-Net's.</exception>
    public NucleusDetector Load(string path, NucleusDetectorOptions? options = null) =>
        NucleusDetector.Load(path, Seeded(options), context.LoggerFactory.CreateLogger<NucleusDetector>());

    /// <summary>
    /// Trains a new detector on every timepoint of <paramref name="annotations"/> that holds a tagged spot (tp, fp, tn,
    /// fn, tb or fb): labels are painted from the tagged ellipsoids of the min–max normalised frame and
    /// <see cref="DetectionTrainingOptions.Epochs"/> epochs of random crops are run, all drawn from the context's seed
    /// unless the options carry their own.
    /// </summary>
    /// <param name="movie">The movie, one raw frame per timepoint.</param>
    /// <param name="annotations">The annotated spots, in µm.</param>
    /// <param name="options">Every setting; null for ELEPHANT's defaults (16 × 256 × 256 crops clipped to the frame, 10 epochs of 5 crops, learning rate 0.001).</param>
    /// <param name="progress">Receives every optimiser step's loss.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <returns>The trained detector; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">No spot is tagged, or a tagged timepoint lies beyond the movie.</exception>
    public NucleusDetector Train(IReadOnlyList<Volume<ushort>> movie, LineageGraph annotations, NucleusDetectorOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var detector = Create(options);
        try
        {
            detector.Train(movie, annotations, progress, cancellationToken);
            return detector;
        }
        catch
        {
            detector.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One round of ELEPHANT's incremental loop: continues the weights of <paramref name="path"/> on the proofread
    /// annotations (fp tags, added fn nuclei, approved tp), with <see cref="DetectionTrainingOptions.Retraining"/>
    /// (3 epochs at 1e-4) unless <paramref name="options"/> says otherwise.
    /// </summary>
    /// <param name="path">The weights of the previous round (<c>.pth</c>).</param>
    /// <param name="movie">The movie, one raw frame per timepoint.</param>
    /// <param name="annotations">The annotations after proofreading, in µm.</param>
    /// <param name="options">Every setting; null for ELEPHANT's defaults with the retraining's epochs and learning rate.</param>
    /// <param name="progress">Receives every optimiser step's loss.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <returns>The retrained detector; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The weights file does not exist.</exception>
    /// <exception cref="ArgumentException">No spot is tagged, or the weights are not the detection U-Net's.</exception>
    public NucleusDetector Continue(string path, IReadOnlyList<Volume<ushort>> movie, LineageGraph annotations, NucleusDetectorOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var detector = Load(path, options ?? new NucleusDetectorOptions { Training = DetectionTrainingOptions.Retraining });
        try
        {
            detector.Train(movie, annotations, progress, cancellationToken);
            return detector;
        }
        catch
        {
            detector.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A simulated careful user for measuring the loop against ground-truth masks (<see cref="ProofreadingSimulator"/>),
    /// its random orders drawn from the context's seed unless the options carry their own.
    /// </summary>
    /// <param name="options">Budgets and orders; null for the defaults (10 corrections and 10 approvals per round).</param>
    /// <returns>The simulator.</returns>
    public ProofreadingSimulator Proofreader(ProofreadingOptions? options = null) =>
        new(options ?? (context.Seed is int seed ? new ProofreadingOptions { Seed = seed } : new ProofreadingOptions()));

    /// <summary>
    /// Detects the nuclei of every (or the chosen) timepoint into a new lineage graph, merged as ELEPHANT's client
    /// merges a prediction (a nucleus within the suppression distance of one kept before is merged into it).
    /// </summary>
    /// <param name="detector">A trained or loaded detector.</param>
    /// <param name="movie">The movie, one raw frame per timepoint.</param>
    /// <param name="timepoints">First and last timepoint; null for all.</param>
    /// <param name="progress">Receives each finished timepoint.</param>
    /// <param name="cancellationToken">Stops between patches.</param>
    /// <returns>The nuclei, unlinked, with quality = mean centre probability.</returns>
    public LineageGraph Detect(INucleusDetector detector, IReadOnlyList<Volume<ushort>> movie, (int First, int Last)? timepoints = null, IProgress<DetectionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(detector);
        var nuclei = new LineageGraph();
        detector.Detect(movie, nuclei, timepoints, progress, cancellationToken);
        return nuclei;
    }

    private NucleusDetectorOptions Seeded(NucleusDetectorOptions? options)
    {
        options ??= new NucleusDetectorOptions();
        return options.Training.Seed is null && context.Seed is int seed ? options with { Training = options.Training with { Seed = seed } } : options;
    }
}
