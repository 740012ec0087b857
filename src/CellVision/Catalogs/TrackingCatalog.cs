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

    /// <summary>
    /// Trains the GNN tracker (Ben-Haim &amp; Riklin-Raviv) on Cell Tracking Challenge sequences with their ground truth
    /// standing in for the segmentation (the paper's "GT segmentation" setting): for each sequence folder <c>DIR/NN</c>
    /// (raw <c>tNNN.tif</c>) the cells are the labels of <c>DIR/NN_GT/TRA</c>, which also give the track ids. The seed is
    /// the context's unless the options carry one.
    /// </summary>
    /// <param name="sequenceFolders">The raw image folders, e.g. <c>data/01</c> and <c>data/02</c>.</param>
    /// <param name="options">Features, gate, optimiser, windows, early stopping, decoder; null for the reference's.</param>
    /// <param name="frames">First and last frame number used from every sequence; null for all.</param>
    /// <param name="progress">Receives every epoch.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The trained tracker (best validation epoch); the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">A folder or frame is missing.</exception>
    /// <exception cref="ArgumentException">A mask and its raw frame differ in size, or no window can be built.</exception>
    public GnnTracker TrainGnn(IReadOnlyList<string> sequenceFolders, GnnTrackerOptions? options = null, (int First, int Last)? frames = null, IProgress<GnnEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequenceFolders);
        var sequences = sequenceFolders.Select(folder =>
        {
            var truth = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(folder))!, Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)) + "_GT", "TRA");
            return (IReadOnlyList<IReadOnlyList<CellFeatures>>)CtcCellFolders.Measure(folder, truth, truth, frames, cancellationToken).Cells;
        }).ToList();
        var tracker = new GnnTracker(WithSeed(options));
        try
        {
            tracker.Train(sequences, progress, cancellationToken);
            return tracker;
        }
        catch
        {
            tracker.Dispose();
            throw;
        }
    }

    /// <summary>Loads a GNN tracker saved by <see cref="GnnTracker.SaveWeights"/>.</summary>
    /// <param name="path">The <c>.pth</c> file.</param>
    /// <param name="options">The settings; the node features must be those it was trained on.</param>
    /// <returns>The tracker; the caller disposes it.</returns>
    public GnnTracker LoadGnn(string path, GnnTrackerOptions? options = null) => GnnTracker.Load(path, WithSeed(options));

    /// <summary>
    /// Tracks the cells of an instance segmentation with a GNN tracker and writes a Cell Tracking Challenge result folder:
    /// <c>maskNNN.tif</c> (the label images repainted with track labels) and <c>res_track.txt</c>.
    /// </summary>
    /// <param name="tracker">A trained or loaded tracker.</param>
    /// <param name="imagesFolder">The raw frames, <c>tNNN.tif</c>.</param>
    /// <param name="masksFolder">One instance-label TIFF per frame: <c>maskNNN.tif</c>, <c>man_trackNNN.tif</c> or <c>man_segNNN.tif</c>.</param>
    /// <param name="resultFolder">The result folder (e.g. <c>01_RES</c>); replaced when complete.</param>
    /// <param name="voxelSize">The voxel size for the lineage's physical positions; null for 1 µm.</param>
    /// <param name="progress">Receives the decoder's progress.</param>
    /// <param name="cancellationToken">Stops the work; nothing is written then.</param>
    /// <returns>The tracks, with the lineage graph.</returns>
    public DecodedTracks TrackGnn(GnnTracker tracker, string imagesFolder, string masksFolder, string resultFolder, Core.Geometry.VoxelSize? voxelSize = null, IProgress<GnnDecodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        var (numbers, cells) = CtcCellFolders.Measure(imagesFolder, masksFolder, null, null, cancellationToken);
        var tracks = tracker.Track(cells, voxelSize ?? Core.Geometry.VoxelSize.Unit, progress, cancellationToken);
        CtcCellFolders.WriteResult(tracks, masksFolder, numbers, cells, resultFolder);
        return tracks;
    }

    private GnnTrackerOptions WithSeed(GnnTrackerOptions? options)
    {
        options ??= new GnnTrackerOptions();
        return options.Seed is null && context.Seed is int seed ? options with { Seed = seed } : options;
    }
}
