using CellVision.Core.Annotations;
using CellVision.Core.Volumes;
using CellVision.Networks;
using CellVision.Torch;
using CellVision.Torch.Serialization;
using CellVision.Tracking;

namespace CellVision;

/// <summary>
/// Links nuclei into lineages with ELEPHANT's nearest-neighbour linking, optionally corrected by its optical-flow model,
/// which is trained from the links a person approved.
/// </summary>
public sealed class TrackingCatalog
{
    private readonly CellVisionContext context;

    internal TrackingCatalog(CellVisionContext context) => this.context = context;

    /// <summary>
    /// Links every timepoint's spots to the previous timepoint's in place, as ELEPHANT does (k-d tree search within the
    /// distance threshold, at most two children per parent, approved links kept).
    /// </summary>
    /// <param name="graph">The spots; receives the links.</param>
    /// <param name="options">Distance threshold, children per parent, search depth; null for ELEPHANT's defaults (5 µm, 2, 1).</param>
    /// <param name="motion">Moves each spot back to where it was one frame earlier before the search (e.g. <see cref="Flow"/>); null for none.</param>
    /// <param name="progress">Receives each linked timepoint.</param>
    /// <param name="cancellationToken">Stops between timepoints.</param>
    /// <returns>The links added and removed.</returns>
    public LinkingResult Link(LineageGraph graph, NearestNeighborLinkingOptions? options = null, ISpotMotionEstimator? motion = null, IProgress<LinkingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new NearestNeighborLinker(options, motion).LinkAll(graph, progress, cancellationToken);
    }

    /// <summary>
    /// Trains ELEPHANT's flow model on every pair of timepoints (t, t + 1) of <paramref name="graph"/> that an approved
    /// link joins; its initial weights, crops and augmentations are drawn from the context's seed unless the options carry one.
    /// </summary>
    /// <param name="movie">The movie, one raw frame per timepoint.</param>
    /// <param name="graph">Spots with approved links (tracking tag <see cref="TrackingTag.Approved"/>).</param>
    /// <param name="options">Crops, epochs, learning rate; null for ELEPHANT's defaults.</param>
    /// <param name="progress">Receives every optimiser step's loss.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <returns>The trained network; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">No link is approved.</exception>
    public FlowUNet TrainFlow(IReadOnlyList<Volume<ushort>> movie, LineageGraph graph, FlowTrainingOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(movie);
        ArgumentNullException.ThrowIfNull(graph);
        options ??= new FlowTrainingOptions();
        if (options.Seed is null && context.Seed is int contextSeed)
        {
            options = options with { Seed = contextSeed };
        }

        var timepoints = graph.Links.Where(l => l.TrackingTag == TrackingTag.Approved && l.Source.Timepoint + 1 < movie.Count).Select(l => l.Source.Timepoint).Distinct().Order().ToList();
        if (timepoints.Count == 0)
        {
            throw new ArgumentException("No link is approved, so the flow model has nothing to learn from.", nameof(graph));
        }

        var first = movie[0];
        var keepAxials = KeepAxials.FromVoxelSize(first.VoxelSize);
        var normFactor = options.NormFactor ?? FlowNormFactor.FromKeepAxials(keepAxials);
        var model = options.Seed is int seed ? TorchRuntime.Seeded(unchecked((ulong)seed), () => new FlowUNet()) : new FlowUNet();
        var pairs = new List<FlowTrainingPair>();
        try
        {
            foreach (var t in timepoints)
            {
                var label = FlowLabelGenerator.Generate(graph, t, (first.Depth, first.Height, first.Width), first.VoxelSize, normFactor);
                pairs.Add(new FlowTrainingPair(Normalization.MinMaxToUnit(movie[t]), Normalization.MinMaxToUnit(movie[t + 1]), label));
            }

            using var trainer = new FlowTrainer(model, keepAxials, options);
            trainer.Train(pairs, progress, cancellationToken);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            foreach (var pair in pairs)
            {
                pair.Current.Dispose();
                pair.Next.Dispose();
                pair.Label.Dispose();
            }
        }
    }

    /// <summary>Loads ELEPHANT's flow model from a <c>.pth</c> state dict (ELEPHANT's keys).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The network; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file is not a readable state dict.</exception>
    /// <exception cref="ArgumentException">The keys or shapes are not the flow model's.</exception>
    public FlowUNet LoadFlow(string path)
    {
        using var weights = PthFile.LoadStateDict(path);
        var model = new FlowUNet();
        try
        {
            model.LoadStateDict(weights);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The flow model as a motion estimate for <see cref="Link"/>: it predicts the flow of each frame pair of <paramref name="movie"/> as linking needs it.</summary>
    /// <param name="model">A trained or loaded flow model.</param>
    /// <param name="movie">The movie the spots belong to.</param>
    /// <param name="options">Patch size and blending; null for ELEPHANT's defaults.</param>
    /// <returns>The estimator.</returns>
    public FlowPredictor Flow(FlowUNet model, IReadOnlyList<Volume<ushort>> movie, FlowPredictionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(movie);
        if (movie.Count == 0)
        {
            throw new ArgumentException("The movie has no frame.", nameof(movie));
        }

        return new FlowPredictor(model, KeepAxials.FromVoxelSize(movie[0].VoxelSize), t => Normalization.MinMaxToUnit(movie[t]), options);
    }
}
