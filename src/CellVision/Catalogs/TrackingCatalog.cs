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
    /// Trains the metric-learning embedding of the GNN tracker (cell-tracker-gnn's <c>run_train_metric_learning.py</c>)
    /// on Cell Tracking Challenge sequences: for each sequence folder <c>DIR/NN</c> the cells and their ids are the labels
    /// of <c>DIR/NN_GT/TRA</c>, cut out of the raw frames. The seed is the context's unless the options carry one.
    /// </summary>
    /// <param name="sequenceFolders">The raw image folders, e.g. <c>data/01</c> and <c>data/02</c>.</param>
    /// <param name="options">Epochs, batches, optimiser, split; null for the reference's.</param>
    /// <param name="frames">First and last frame number used from every sequence; null for all.</param>
    /// <param name="progress">Receives every epoch (loss, validation MAP@R).</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The model (best validation epoch); save it with <see cref="CellEmbeddingModel.Save"/>; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">A folder or frame is missing.</exception>
    public CellEmbeddingModel TrainCellEmbedding(IReadOnlyList<string> sequenceFolders, CellEmbeddingTrainingOptions? options = null, (int First, int Last)? frames = null, IProgress<CellEmbeddingEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequenceFolders);
        options ??= new CellEmbeddingTrainingOptions();
        var crops = sequenceFolders.Select(folder => MeasureTruth(folder, frames, true, cancellationToken).Crops!).ToList();
        return CellEmbeddingModel.Train(crops, options.Seed is null && context.Seed is int seed ? options with { Seed = seed } : options, progress, cancellationToken);
    }

    /// <summary>
    /// Trains the GNN tracker (Ben-Haim &amp; Riklin-Raviv) on Cell Tracking Challenge sequences with their ground truth
    /// standing in for the segmentation (the paper's "GT segmentation" setting): for each sequence folder <c>DIR/NN</c>
    /// (raw <c>tNNN.tif</c>) the cells are the labels of <c>DIR/NN_GT/TRA</c>, which also give the track ids. With
    /// <see cref="GnnTrackerOptions.Embedding"/> (the default) every cell also gets its metric-learning embedding: from
    /// the model at <see cref="GnnEmbeddingOptions.ModelPath"/>, or from one trained first on the same sequences
    /// (<see cref="TrainCellEmbedding"/>); the tracker keeps that model (<see cref="GnnTracker.EmbeddingModel"/>). The
    /// seed is the context's unless the options carry one.
    /// </summary>
    /// <param name="sequenceFolders">The raw image folders, e.g. <c>data/01</c> and <c>data/02</c>.</param>
    /// <param name="options">Features, embedding, gate, optimiser, windows, early stopping, decoder; null for the reference's.</param>
    /// <param name="frames">First and last frame number used from every sequence; null for all.</param>
    /// <param name="progress">Receives every epoch of the GNN.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The trained tracker (best validation epoch); the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">A folder or frame is missing.</exception>
    /// <exception cref="ArgumentException">A mask and its raw frame differ in size, or no window can be built.</exception>
    public GnnTracker TrainGnn(IReadOnlyList<string> sequenceFolders, GnnTrackerOptions? options = null, (int First, int Last)? frames = null, IProgress<GnnEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequenceFolders);
        options = WithSeed(options);
        var embedding = options.Embedding;
        var measured = sequenceFolders.Select(folder => MeasureTruth(folder, frames, embedding is not null, cancellationToken)).ToList();
        var sequences = measured.Select(m => (IReadOnlyList<IReadOnlyList<CellFeatures>>)m.Cells).ToList();
        CellEmbeddingModel? model = null;
        var tracker = new GnnTracker(options);
        try
        {
            if (embedding is not null)
            {
                var training = embedding.Training.Seed is null && options.Seed is int seed ? embedding.Training with { Seed = seed } : embedding.Training;
                model = embedding.ModelPath is { } path
                    ? CellEmbeddingModel.Load(path)
                    : CellEmbeddingModel.Train([.. measured.Select(m => m.Crops!)], training, null, cancellationToken);
                sequences = [.. sequences.Select((cells, i) => model.AddEmbeddings(cells, measured[i].Crops!, embedding.BatchSize, cancellationToken))];
            }

            tracker.Train(sequences, progress, cancellationToken);
            tracker.AttachEmbeddingModel(model);
            return tracker;
        }
        catch
        {
            tracker.Dispose();
            model?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads a GNN tracker saved by <see cref="GnnTracker.SaveWeights"/>. Weights trained with the metric-learning
    /// embedding get their embedding model attached: <see cref="GnnEmbeddingOptions.ModelPath"/>, or else the file
    /// beside the weights (<see cref="GnnEmbeddingOptions.BesideWeights"/>, <c>NAME-embedding.pth</c>).
    /// </summary>
    /// <param name="path">The <c>.pth</c> file.</param>
    /// <param name="options">The settings; the node features must be those it was trained on.</param>
    /// <returns>The tracker; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The weights, or the embedding model they need, do not exist.</exception>
    public GnnTracker LoadGnn(string path, GnnTrackerOptions? options = null)
    {
        options = WithSeed(options);
        var tracker = GnnTracker.Load(path, options);
        try
        {
            if (tracker.UsesEmbedding)
            {
                var embeddingPath = options.Embedding?.ModelPath ?? GnnEmbeddingOptions.BesideWeights(path);
                if (!File.Exists(embeddingPath))
                {
                    throw new FileNotFoundException($"'{path}' was trained with the metric-learning embedding, but its model '{embeddingPath}' does not exist; give it as the embedding model path.", embeddingPath);
                }

                tracker.AttachEmbeddingModel(CellEmbeddingModel.Load(embeddingPath));
            }

            return tracker;
        }
        catch
        {
            tracker.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Tracks the cells of an instance segmentation with a GNN tracker and writes a Cell Tracking Challenge result folder:
    /// <c>maskNNN.tif</c> (the label images repainted with track labels) and <c>res_track.txt</c>. A tracker trained with
    /// the metric-learning embedding embeds the cells first with its <see cref="GnnTracker.EmbeddingModel"/> (the
    /// intensity range of this sequence's segmented voxels, patches resized when a cell exceeds the model's ROI).
    /// </summary>
    /// <param name="tracker">A trained or loaded tracker.</param>
    /// <param name="imagesFolder">The raw frames, <c>tNNN.tif</c>.</param>
    /// <param name="masksFolder">One instance-label TIFF per frame: <c>maskNNN.tif</c>, <c>man_trackNNN.tif</c> or <c>man_segNNN.tif</c>.</param>
    /// <param name="resultFolder">The result folder (e.g. <c>01_RES</c>); replaced when complete.</param>
    /// <param name="voxelSize">The voxel size for the lineage's physical positions; null for 1 µm.</param>
    /// <param name="progress">Receives the decoder's progress.</param>
    /// <param name="cancellationToken">Stops the work; nothing is written then.</param>
    /// <returns>The tracks, with the lineage graph.</returns>
    /// <exception cref="InvalidOperationException">The tracker needs embeddings but has no embedding model.</exception>
    public DecodedTracks TrackGnn(GnnTracker tracker, string imagesFolder, string masksFolder, string resultFolder, Core.Geometry.VoxelSize? voxelSize = null, IProgress<GnnDecodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        var embedding = tracker.UsesEmbedding
            ? tracker.EmbeddingModel ?? throw new InvalidOperationException("The GNN tracker was trained with the metric-learning embedding but has no embedding model; attach one (AttachEmbeddingModel) or load it with LoadGnn.")
            : null;
        var crops = embedding is null ? null : new CellCropSequence();
        var (numbers, cells) = CtcCellFolders.Measure(imagesFolder, masksFolder, null, null, cancellationToken, crops);
        if (tracker.Options.Decoding.Decoder == GnnDecoder.Reference && cells.FindIndex(frame => frame.Count == 0) is var empty and >= 0)
        {
            throw new ArgumentException($"'{CtcCellFolders.LabelFiles(masksFolder)[numbers[empty]]}' holds no cell, and the reference decoder needs a cell in every frame; use the global decoder.");
        }

        var frames = embedding is null
            ? (IReadOnlyList<IReadOnlyList<CellFeatures>>)cells
            : embedding.AddEmbeddings(cells, crops!, tracker.Options.Embedding?.BatchSize ?? CellEmbeddingModel.DefaultBatchSize, cancellationToken);
        var tracks = tracker.Track(frames, voxelSize ?? Core.Geometry.VoxelSize.Unit, progress, cancellationToken);
        CtcCellFolders.WriteResult(tracks, masksFolder, numbers, cells, resultFolder);
        return tracks;
    }

    /// <summary>The cells of a sequence folder measured on its ground truth (<c>NN_GT/TRA</c>), with their crops when asked.</summary>
    private static (List<IReadOnlyList<CellFeatures>> Cells, CellCropSequence? Crops) MeasureTruth(string folder, (int First, int Last)? frames, bool withCrops, CancellationToken cancellationToken)
    {
        var truth = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(folder))!, Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)) + "_GT", "TRA");
        var crops = withCrops ? new CellCropSequence() : null;
        return (CtcCellFolders.Measure(folder, truth, truth, frames, cancellationToken, crops).Cells, crops);
    }

    private GnnTrackerOptions WithSeed(GnnTrackerOptions? options)
    {
        options ??= new GnnTrackerOptions();
        return options.Seed is null && context.Seed is int seed ? options with { Seed = seed } : options;
    }
}
