using CellVision.Torch;
using System.Numerics;
using CellVision.Core.Volumes;
using CellVision.Evaluation;
using CellVision.Segmentation;

namespace CellVision;

/// <summary>
/// Image preparation and segmentation: contrast-limited adaptive histogram equalisation exactly as scikit-image computes
/// it, flood-filling networks (training data as google/ffn prepares it, the network and its training), and the scores of
/// an instance segmentation against ground truth (variation of information, adapted Rand error).
/// </summary>
public sealed class SegmentationCatalog
{
    private readonly CellVisionContext context;

    internal SegmentationCatalog(CellVisionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        this.context = context;
    }

    /// <summary>
    /// CLAHE of a 16-bit volume (scikit-image's <c>equalize_adapthist</c>), returned as 16-bit intensities
    /// (<c>img_as_uint</c> of its result).
    /// </summary>
    /// <param name="volume">The volume.</param>
    /// <param name="options">Kernel size, clip limit, bins; null for scikit-image's defaults.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The equalised volume; the caller disposes it.</returns>
    public Volume<ushort> Clahe(Volume<ushort> volume, ClaheOptions? options = null, CancellationToken cancellationToken = default) =>
        Segmentation.Clahe.EqualizeToUInt16(volume, options, cancellationToken);

    /// <summary>CLAHE of a volume too large for memory, block by block from one chunked volume (e.g. a Zarr array) into another of the same shape.</summary>
    /// <param name="input">uint8 or uint16 voxels.</param>
    /// <param name="output">float64, uint16 or uint8 voxels, the input's shape.</param>
    /// <param name="options">Kernel size, clip limit, bins; null for scikit-image's defaults.</param>
    /// <param name="progress">Receives the blocks done and their count.</param>
    /// <param name="cancellationToken">Stops between blocks.</param>
    public void Clahe(IChunkedVolume input, IChunkedVolume output, ClaheOptions? options = null, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default) =>
        Segmentation.Clahe.Equalize(input, output, options, progress, cancellationToken);

    /// <summary>
    /// The training partitions of a label volume (google/ffn's <c>compute_partitions.py</c>): every object voxel is put in
    /// a partition by the fraction of the box around it that its own label fills; 0 is background, 255 the excluded border.
    /// </summary>
    /// <typeparam name="T">The label type (an integer type); 0 is background.</typeparam>
    /// <param name="labels">The ground-truth labels, Z, Y, X.</param>
    /// <param name="options">Thresholds, box radius and minimum label size; null for the README's defaults (12 thresholds, radius 24, 10000 voxels).</param>
    /// <param name="exclusionMask">Optional mask of the labels' shape; voxels whose box touches it become 255.</param>
    /// <param name="progress">Receives the labels done and the labels to do, from worker threads.</param>
    /// <param name="cancellationToken">Stops between labels.</param>
    /// <returns>The partition volume (the labels' shape) and the count of each partition; the caller disposes it.</returns>
    public FloodFillPartitionMap FloodFillPartitions<T>(
        Volume<T> labels,
        FloodFillPartitionOptions? options = null,
        Volume<bool>? exclusionMask = null,
        IProgress<(int Done, int Total)>? progress = null,
        CancellationToken cancellationToken = default)
        where T : unmanaged, IBinaryInteger<T> =>
        Segmentation.FloodFillPartitions.Compute(labels, options, exclusionMask, progress, cancellationToken);

    /// <summary>
    /// Balanced, shuffled training centres drawn from partition volumes (google/ffn's <c>build_coordinates.py</c>):
    /// every partition value inside the margins, background included, appears as often as the largest.
    /// </summary>
    /// <param name="partitions">One or more partition volumes (from <see cref="FloodFillPartitions{T}"/>).</param>
    /// <param name="names">The volumes' names, one per volume; null names them by index.</param>
    /// <param name="options">Margin and seed; null for a margin of 24 voxels and an unseeded order, as the reference.</param>
    /// <param name="cancellationToken">Stops between volumes and partitions.</param>
    /// <returns>The coordinates with the volumes they point into and the partition counts.</returns>
    public FloodFillCoordinateSet FloodFillCoordinates(
        IReadOnlyList<Volume<byte>> partitions,
        IReadOnlyList<string>? names = null,
        FloodFillCoordinateOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Segmentation.FloodFillCoordinates.Build(partitions, names, options, cancellationToken);

    /// <summary>Writes training coordinates to a file (the format of <see cref="FloodFillCoordinateFile"/>), under a temporary name renamed when complete.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="coordinates">The coordinates.</param>
    /// <param name="cancellationToken">Stops the write; nothing is left at <paramref name="path"/>.</param>
    public void SaveFloodFillCoordinates(string path, FloodFillCoordinateSet coordinates, CancellationToken cancellationToken = default) =>
        FloodFillCoordinateFile.Write(path, coordinates, cancellationToken);

    /// <summary>Reads training coordinates written by <see cref="SaveFloodFillCoordinates"/>, checking every field.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The coordinates with their volumes and partition counts.</returns>
    /// <exception cref="InvalidDataException">The file is damaged or not a coordinate file.</exception>
    public FloodFillCoordinateSet LoadFloodFillCoordinates(string path, CancellationToken cancellationToken = default) =>
        FloodFillCoordinateFile.Read(path, cancellationToken);

    /// <summary>Creates an untrained flood-filling network (Glorot-uniform weights, as the reference), seeded by the context's seed when it has one.</summary>
    /// <param name="options">The network's shape; null for the published FIB-25 model's.</param>
    /// <returns>The network; the caller disposes it.</returns>
    public FloodFillNetwork CreateFloodFillNetwork(FloodFillNetworkOptions? options = null) =>
        context.Seed is int seed ? TorchRuntime.Seeded(unchecked((ulong)seed), () => new FloodFillNetwork(options)) : new FloodFillNetwork(options);

    /// <summary>Trains a flood-filling network (<see cref="FloodFillTrainer.Train"/>), resuming from the checkpoint when it exists.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="volumes">The training volumes, indexed as the coordinates' volumes.</param>
    /// <param name="coordinates">Balanced, shuffled training centres (<see cref="FloodFillCoordinates"/>).</param>
    /// <param name="options">The training settings; null for the reference's.</param>
    /// <param name="checkpoint">Where the weights and the step count are saved while training, or null.</param>
    /// <param name="progress">Receives every step.</param>
    /// <param name="cancellationToken">Stops between steps, after a checkpoint.</param>
    /// <returns>The last step taken.</returns>
    public long TrainFloodFill(
        FloodFillNetwork network,
        IReadOnlyList<FloodFillTrainingVolume> volumes,
        IReadOnlyList<FloodFillCoordinate> coordinates,
        FloodFillTrainingOptions? options = null,
        string? checkpoint = null,
        IProgress<FloodFillTrainingProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        FloodFillTrainer.Train(network, volumes, coordinates, options, checkpoint, progress, cancellationToken);

    /// <summary>
    /// Scores a label volume against ground truth of the same shape: the variation of information split into
    /// H(segmentation | ground truth) and H(ground truth | segmentation) in bits, and the adapted Rand error with its
    /// precision and recall, as scikit-image 0.19.3's <c>variation_of_information</c> and <c>adapted_rand_error</c>
    /// compute them (<see cref="SegmentationEvaluator"/>).
    /// </summary>
    /// <typeparam name="TTruth">The ground truth's voxel type (any integer type).</typeparam>
    /// <typeparam name="TTest">The segmentation's voxel type (any integer type).</typeparam>
    /// <param name="groundTruth">The reference labels.</param>
    /// <param name="segmentation">The labels to score.</param>
    /// <param name="options">The ground truth labels each measure ignores; null for scikit-image's defaults (none for VOI, 0 for the adapted Rand error).</param>
    /// <param name="cancellationToken">Stops between blocks of voxels.</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public SegmentationScores Score<TTruth, TTest>(Volume<TTruth> groundTruth, Volume<TTest> segmentation, SegmentationEvaluationOptions? options = null, CancellationToken cancellationToken = default)
        where TTruth : unmanaged, IBinaryInteger<TTruth>
        where TTest : unmanaged, IBinaryInteger<TTest> =>
        SegmentationEvaluator.Evaluate(groundTruth, segmentation, options, cancellationToken);

    /// <summary>Segments a volume with a flood-filling network, seed after seed (<see cref="FloodFillSegmenter.Segment{T}"/>).</summary>
    /// <typeparam name="T">The voxel type (uint8 or uint16 EM; floats must be finite).</typeparam>
    /// <param name="image">The raw image.</param>
    /// <param name="network">The network, e.g. <see cref="FloodFillNetwork.Load"/>.</param>
    /// <param name="options">Inference settings; null for the reference request's.</param>
    /// <param name="allowed">Where seeds and field-of-view centres may go; null for everywhere.</param>
    /// <param name="progress">Receives a report after every seed.</param>
    /// <param name="cancellationToken">Checked before every network step.</param>
    /// <returns>The labels, objects and seed outcomes; the caller disposes it.</returns>
    public FloodFillResult FloodFill<T>(Volume<T> image, IFloodFillNetwork network, FloodFillInferenceOptions? options = null, Volume<bool>? allowed = null, IProgress<FloodFillProgress>? progress = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumberBase<T> =>
        FloodFillSegmenter.Segment(image, network, options, allowed, progress, cancellationToken);

    /// <summary>Creates an untrained semantic U-Net (incasem's shape by default), seeded by the context's seed when it has one.</summary>
    /// <param name="options">The network's shape; null for incasem's (204³ → 110³, two classes).</param>
    /// <returns>The network; the caller disposes it.</returns>
    public SemanticUNet CreateSemanticNetwork(SemanticUNetOptions? options = null) =>
        context.Seed is int seed ? TorchRuntime.Seeded(unchecked((ulong)seed), () => new SemanticUNet(options)) : new SemanticUNet(options);

    /// <summary>Trains a semantic U-Net as incasem does (<see cref="SemanticTrainer.Train"/>), resuming from the checkpoint when it exists.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="training">The training data sets.</param>
    /// <param name="options">Settings; null for incasem's.</param>
    /// <param name="validation">Data sets scored during training, or null.</param>
    /// <param name="checkpoint">Where the weights and the step count are saved while training, or null.</param>
    /// <param name="progress">Receives every step.</param>
    /// <param name="cancellationToken">Stops between steps, after a checkpoint.</param>
    /// <returns>The last step taken.</returns>
    public long TrainSemantic(
        SemanticUNet network,
        IReadOnlyList<SemanticTrainingVolume> training,
        SemanticTrainingOptions? options = null,
        IReadOnlyList<SemanticTrainingVolume>? validation = null,
        string? checkpoint = null,
        IProgress<SemanticTrainingProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        SemanticTrainer.Train(network, training, options, validation, checkpoint, progress, cancellationToken);

    /// <summary>Predicts class probabilities and the segmentation block by block, as incasem does (<see cref="SemanticPredictor.Predict"/>).</summary>
    /// <param name="raw">The raw image (uint8 or uint16), e.g. a Zarr array or an <see cref="InMemoryChunkedVolume{T}"/>.</param>
    /// <param name="network">The network.</param>
    /// <param name="targets">Where the probabilities and the segmentation go.</param>
    /// <param name="options">Block size and pipelining; null for incasem's 204³ blocks.</param>
    /// <param name="region">The region of interest; null for the whole volume.</param>
    /// <param name="mask">Nonzero inside the sample; null for everywhere.</param>
    /// <param name="finishedBlocks">Blocks an interrupted run already wrote.</param>
    /// <param name="progress">Receives a report after each block is written.</param>
    /// <param name="cancellationToken">Stops between blocks.</param>
    /// <returns>The block layout.</returns>
    public SemanticBlockGrid PredictSemantic(
        IChunkedVolume raw,
        ISemanticNetwork network,
        SemanticPredictionTargets targets,
        SemanticPredictionOptions? options = null,
        Box? region = null,
        IChunkedVolume? mask = null,
        IReadOnlySet<int>? finishedBlocks = null,
        IProgress<SemanticPredictionProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        SemanticPredictor.Predict(raw, network, targets, options, region, mask, finishedBlocks, progress, cancellationToken);

    /// <summary>incasem's metric exclusion mask: 255 where scores count, 0 in a band around object boundaries (<see cref="MetricExclusionMask.Compute{T}"/>).</summary>
    /// <typeparam name="T">The label type.</typeparam>
    /// <param name="labels">The labels.</param>
    /// <param name="options">Band widths and the class; null for 4/4 around every nonzero label.</param>
    /// <param name="cancellationToken">Stops the computation.</param>
    /// <returns>The mask; the caller disposes it.</returns>
    public Volume<byte> MetricExclusionMask<T>(Volume<T> labels, MetricExclusionMaskOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, IBinaryInteger<T> =>
        Segmentation.MetricExclusionMask.Compute(labels, options, cancellationToken);

    /// <summary>F1, Jaccard, precision and recall of a class's probabilities as incasem reports them (<see cref="SemanticEvaluator"/>).</summary>
    /// <typeparam name="TLabel">The label type.</typeparam>
    /// <param name="probabilities">The class's softmax probabilities.</param>
    /// <param name="labels">The ground-truth classes.</param>
    /// <param name="classId">The class scored.</param>
    /// <param name="mask">The sample mask, or null.</param>
    /// <param name="metricMask">The metric mask, or null.</param>
    /// <param name="options">Thresholds and border; null for 0.5 and 46 voxels.</param>
    /// <returns>One score per threshold.</returns>
    public IReadOnlyList<SemanticScores> ScoreSemantic<TLabel>(Volume<float> probabilities, Volume<TLabel> labels, long classId, Volume<byte>? mask = null, Volume<byte>? metricMask = null, SemanticEvaluationOptions? options = null)
        where TLabel : unmanaged, IBinaryInteger<TLabel> =>
        SemanticEvaluator.Evaluate(probabilities, labels, classId, mask, metricMask, options);
}
