using CellVision.Networks;
using CellVision.Torch;
using CellVision.Torch.Modules;
using CellVision.Torch.Serialization;

namespace CellVision.Tracking;

/// <summary>
/// A trained metric-learning model of cell-tracker-gnn, as its <c>all_params.pth</c> holds it: the network
/// (<see cref="CellEmbeddingNetwork"/>) with the patch settings it was trained with — per training sequence the
/// intensity range (<c>min_cell</c>, <c>max_cell</c>), the pad value and the patch size (<c>roi</c>). It turns cells into
/// 128-d unit embeddings that feed the GNN tracker (<see cref="CellFeatures.Embedding"/>).
/// </summary>
/// <remarks>
/// Embedding a sequence follows the reference's inference (<c>find_min_max_and_roi</c>): the intensity range is the
/// smallest and largest raw value over all segmented voxels of all frames of that sequence, and when any cell is larger
/// than the ROI on some axis every patch is padded to the per-axis maximum of the largest cell and the ROI, then resized
/// to the ROI. The model owns its network; dispose it.
/// </remarks>
public sealed class CellEmbeddingModel : IDisposable
{
    /// <summary>The reference's file name for the model.</summary>
    public const string ReferenceFileName = "all_params.pth";

    /// <summary>Patches per forward pass when embedding (memory only; the result does not depend on it).</summary>
    public const int DefaultBatchSize = 128;

    private static readonly string[] Keys =
        ["min_cell", "max_cell", "pad_value", "roi", "model_name", "mlp_dims", "mlp_normalized_features", "trunk_state_dict", "embedder_state_dict"];

    /// <summary>Wraps a network with its patch settings; the model takes ownership of the network.</summary>
    /// <param name="network">The network.</param>
    /// <param name="minCell">Per training sequence, the intensity mapped to 0.</param>
    /// <param name="maxCell">Per training sequence, the intensity mapped to 1.</param>
    /// <param name="roi">The patch extent (Z, Y, X); Z is 1 for 2-D models.</param>
    /// <exception cref="ArgumentException">The range lists differ in length, or the ROI is not positive.</exception>
    public CellEmbeddingModel(CellEmbeddingNetwork network, IReadOnlyList<double> minCell, IReadOnlyList<double> maxCell, (int Z, int Y, int X) roi)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(minCell);
        ArgumentNullException.ThrowIfNull(maxCell);
        if (minCell.Count != maxCell.Count)
        {
            throw new ArgumentException($"{minCell.Count} minima but {maxCell.Count} maxima: give one of each per training sequence.", nameof(maxCell));
        }

        if (roi.Z < 1 || roi.Y < 1 || roi.X < 1)
        {
            throw new ArgumentException($"The ROI {roi} must be at least one voxel on every axis.", nameof(roi));
        }

        Network = network;
        MinCell = [.. minCell];
        MaxCell = [.. maxCell];
        Roi = network.SpatialDimensions == 3 ? roi : (1, roi.Y, roi.X);
    }

    /// <summary>The network (trunk and embedder).</summary>
    public CellEmbeddingNetwork Network { get; }

    /// <summary>2 or 3.</summary>
    public int SpatialDimensions => Network.SpatialDimensions;

    /// <summary>Per training sequence, the smallest cell minimum (<c>min_cell</c>).</summary>
    public IReadOnlyList<double> MinCell { get; }

    /// <summary>Per training sequence, the largest cell maximum (<c>max_cell</c>).</summary>
    public IReadOnlyList<double> MaxCell { get; }

    /// <summary>The value outside the cell in a patch (<c>pad_value</c>): always 0, as the reference's <c>MinMaxCell</c> asserts.</summary>
    public static double PadValue => 0;

    /// <summary>The patch extent (Z, Y, X): the largest bounding box over the training sequences (<c>roi</c>).</summary>
    public (int Z, int Y, int X) Roi { get; }

    /// <summary>The reference's <c>model_name</c>: <c>resnet18</c> in 2-D, <c>resnet18_3d</c> in 3-D.</summary>
    public string ModelName => SpatialDimensions == 3 ? "resnet18_3d" : "resnet18";

    /// <summary>The embedder's widths (<c>mlp_dims</c>): 512, 128.</summary>
    public static IReadOnlyList<int> MlpDimensions { get; } = [ResNet18.FeatureSize, CellEmbeddingNetwork.EmbeddingSize];

    /// <summary>Whether embeddings are L2-normalised (<c>mlp_normalized_features</c>): always.</summary>
    public static bool MlpNormalizedFeatures => true;

    /// <summary>What the training that made this model did; null for a loaded model.</summary>
    public CellEmbeddingTrainingResult? LastTraining { get; internal set; }

    /// <summary>
    /// Trains the network on the cells of one or more sequences, their ids being the ground-truth track ids (§1.2): ids
    /// split per sequence, the m-per-class sampler, the multi-similarity loss with its miner, Adam on trunk and embedder,
    /// and the weights of the best validation MAP@R kept.
    /// </summary>
    /// <param name="sequences">Per sequence, the cells (with track ids) and their crops; patches use each sequence's own
    /// intensity range and the largest box over all of them.</param>
    /// <param name="options">Settings; null for the reference's.</param>
    /// <param name="progress">Receives every epoch.</param>
    /// <param name="cancellationToken">Stops between batches; nothing is returned then.</param>
    /// <returns>The model; <see cref="LastTraining"/> tells what happened.</returns>
    /// <exception cref="ArgumentException">There are no cells, a cell lacks its track id, sequences mix 2-D and 3-D, or a sequence has a single intensity.</exception>
    public static CellEmbeddingModel Train(IReadOnlyList<CellCropSequence> sequences, CellEmbeddingTrainingOptions? options = null, IProgress<CellEmbeddingEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new CellEmbeddingTrainingOptions();
        options.Validate();
        return CellEmbeddingTraining.Run(sequences, options, progress, cancellationToken);
    }

    /// <summary>The patch settings for embedding a sequence with the given statistics (inference semantics, see the remarks).</summary>
    /// <param name="statistics">The statistics of all cells of the sequence (<see cref="CellCropSequence.Statistics"/>).</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentException">The sequence has no cells or a single intensity.</exception>
    public CellPatchSettings PatchSettings(CellSequenceStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (statistics.CellCount == 0 || !(statistics.MaxIntensity > statistics.MinIntensity))
        {
            throw new ArgumentException($"The sequence's cells span intensities [{statistics.MinIntensity}, {statistics.MaxIntensity}]; patches need a range.", nameof(statistics));
        }

        var extent = statistics.MaxExtent;
        var threeD = SpatialDimensions == 3;
        var exceeds = extent.Y > Roi.Y || extent.X > Roi.X || (threeD && extent.Z > Roi.Z);
        var settings = new CellPatchSettings(statistics.MinIntensity, statistics.MaxIntensity, Roi);
        return exceeds
            ? settings with { PadTo = (threeD ? Math.Max(extent.Z, Roi.Z) : 1, Math.Max(extent.Y, Roi.Y), Math.Max(extent.X, Roi.X)) }
            : settings;
    }

    /// <summary>Embeds every cell of a sequence (eval mode, no gradients).</summary>
    /// <param name="sequence">The cells and their crops.</param>
    /// <param name="batchSize">Patches per forward pass.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>Row-major [cells × 128] float32, in the order of <see cref="CellCropSequence.Cells"/>.</returns>
    /// <exception cref="ArgumentException">The cells are not of the model's dimensionality, or see <see cref="PatchSettings"/>.</exception>
    public float[] Embed(CellCropSequence sequence, int batchSize = DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (sequence.Count == 0)
        {
            return [];
        }

        if (sequence.Cells.FirstOrDefault(c => c.Dimensions != SpatialDimensions) is { } other)
        {
            throw new ArgumentException($"The model embeds {SpatialDimensions}-D cells, but cell {other.Label} of frame {other.Frame} is {other.Dimensions}-D.", nameof(sequence));
        }

        var settings = PatchSettings(sequence.Statistics());
        return EmbedPatches(Enumerable.Range(0, sequence.Count).Select(i => sequence.Patch(i, settings)), sequence.Count, batchSize, cancellationToken);
    }

    /// <summary>
    /// Returns the frames with every cell carrying its embedding (<see cref="CellFeatures.Embedding"/>), the frame lists
    /// keeping their places (empty ones included).
    /// </summary>
    /// <param name="frames">Per frame, the cells; each must be one of <paramref name="sequence"/>'s (same frame and label).</param>
    /// <param name="sequence">The same cells with their crops.</param>
    /// <param name="batchSize">Patches per forward pass.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>New frame lists of new cells.</returns>
    /// <exception cref="ArgumentException">A cell of <paramref name="frames"/> is not in <paramref name="sequence"/>.</exception>
    public IReadOnlyList<IReadOnlyList<CellFeatures>> AddEmbeddings(IReadOnlyList<IReadOnlyList<CellFeatures>> frames, CellCropSequence sequence, int batchSize = DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(sequence);
        var rows = Embed(sequence, batchSize, cancellationToken);
        var index = new Dictionary<(int, uint), int>();
        for (var i = 0; i < sequence.Count; i++)
        {
            index[(sequence.Cells[i].Frame, sequence.Cells[i].Label)] = i;
        }

        const int width = CellEmbeddingNetwork.EmbeddingSize;
        return [.. frames.Select(frame => (IReadOnlyList<CellFeatures>)[.. frame.Select(cell => index.TryGetValue((cell.Frame, cell.Label), out var i)
            ? cell with { Embedding = rows.AsSpan(i * width, width).ToArray() }
            : throw new ArgumentException($"Cell {cell.Label} of frame {cell.Frame} has no crop in the sequence.", nameof(frames)))])];
    }

    /// <summary>Saves the model as the reference's <c>all_params.pth</c> dict (its keys and value types), readable by <c>torch.load</c>.</summary>
    /// <param name="path">The file; replaced if it exists.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var trunk = Network.TrunkStateDict();
        using var embedder = Network.EmbedderStateDict();
        // Plain dicts, as the reference writes them (its state dicts stay OrderedDicts).
        var roi = new Dictionary<string, object?>(StringComparer.Ordinal) { ["row"] = (long)Roi.Y, ["col"] = (long)Roi.X };
        if (SpatialDimensions == 3)
        {
            roi["depth"] = (long)Roi.Z;
        }

        var values = new object?[]
        {
            MinCell.Select(v => (object?)v).ToList(),
            MaxCell.Select(v => (object?)v).ToList(),
            (long)PadValue,
            roi,
            ModelName,
            MlpDimensions.Select(v => (object?)(long)v).ToList(),
            MlpNormalizedFeatures,
            trunk,
            embedder,
        };
        var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < Keys.Length; i++)
        {
            dict[Keys[i]] = values[i];
        }

        PthFile.Save(path, dict);
    }

    /// <summary>Loads an <c>all_params.pth</c> written by <see cref="Save"/> or by the reference's training.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The model; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="PthFormatException">A key is missing or holds the wrong kind of value.</exception>
    /// <exception cref="NotSupportedException">The file describes another network (embedder widths, unnormalised features, a non-zero pad value).</exception>
    public static CellEmbeddingModel Load(string path)
    {
        var root = PthFile.Load(path) as IReadOnlyDictionary<string, object?>
            ?? throw new PthFormatException($"'{path}' is not an all_params.pth dict.");
        var tensors = new List<Tensor>();
        Collect(root, tensors);
        try
        {
            var missing = Keys.Where(k => !root.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                throw new PthFormatException($"'{path}' lacks {string.Join(", ", missing)}: it is not a cell-tracker-gnn all_params.pth.");
            }

            var dims = Numbers(root["mlp_dims"], path, "mlp_dims");
            if (dims is not [ResNet18.FeatureSize, CellEmbeddingNetwork.EmbeddingSize])
            {
                throw new NotSupportedException($"'{path}' has an embedder of widths [{string.Join(", ", dims)}]; only [512, 128] is supported.");
            }

            if (root["mlp_normalized_features"] is not true)
            {
                throw new NotSupportedException($"'{path}' has unnormalised embeddings (mlp_normalized_features False); the GNN expects unit embeddings.");
            }

            if (Number(root["pad_value"], path, "pad_value") != 0)
            {
                throw new NotSupportedException($"'{path}' pads patches with {root["pad_value"]}; MinMaxCell patches pad with 0.");
            }

            var trunk = StateDictOf(root["trunk_state_dict"], path, "trunk_state_dict");
            var embedder = StateDictOf(root["embedder_state_dict"], path, "embedder_state_dict");
            var conv = trunk.GetValueOrDefault("model.conv1.weight") ?? throw new PthFormatException($"'{path}': trunk_state_dict has no model.conv1.weight.");
            var dimensions = conv.Rank == 5 ? 3 : 2;
            var roi = root["roi"] as IReadOnlyDictionary<string, object?> ?? throw new PthFormatException($"'{path}': roi is not a dict of row, col (and depth).");
            var extent = (
                Z: dimensions == 3 ? (int)Number(roi.GetValueOrDefault("depth"), path, "roi.depth") : 1,
                Y: (int)Number(roi.GetValueOrDefault("row"), path, "roi.row"),
                X: (int)Number(roi.GetValueOrDefault("col"), path, "roi.col"));
            var network = new CellEmbeddingNetwork(dimensions);
            try
            {
                network.LoadReferenceStateDicts(trunk, embedder);
                return new CellEmbeddingModel(network, Numbers(root["min_cell"], path, "min_cell"), Numbers(root["max_cell"], path, "max_cell"), extent);
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }
        finally
        {
            tensors.ForEach(t => t.Dispose());
        }
    }

    /// <summary>Releases the network.</summary>
    public void Dispose() => Network.Dispose();

    /// <summary>Embeds patches in batches, eval mode, no gradients.</summary>
    internal float[] EmbedPatches(IEnumerable<float[]> patches, int count, int batchSize, CancellationToken cancellationToken)
    {
        const int width = CellEmbeddingNetwork.EmbeddingSize;
        var result = new float[count * width];
        var wasTraining = Network.IsTraining;
        Network.Eval();
        try
        {
            using var noGrad = GradientMode.NoGrad();
            var offset = 0;
            foreach (var batch in patches.Chunk(batchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = DisposeScope.Enter();
                var embedding = Network.Forward(CellPatchExtractor.Batch(batch, Roi, SpatialDimensions));
                embedding.ToArray<float>().CopyTo(result, offset);
                offset += batch.Length * width;
            }
        }
        finally
        {
            Network.Train(wasTraining);
        }

        return result;
    }

    // A reference trunk saved from a DataParallel wrapper carries a "module." prefix.
    private static Dictionary<string, Tensor> StateDictOf(object? value, string path, string key)
    {
        if (value is not IReadOnlyDictionary<string, object?> dict || dict.Values.Any(v => v is not Tensor))
        {
            throw new PthFormatException($"'{path}': {key} is not a dict of tensors.");
        }

        return dict.ToDictionary(p => p.Key.StartsWith("module.", StringComparison.Ordinal) ? p.Key["module.".Length..] : p.Key, p => (Tensor)p.Value!, StringComparer.Ordinal);
    }

    private static double Number(object? value, string path, string key) => value switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new PthFormatException($"'{path}': {key} is not a number."),
    };

    private static List<double> Numbers(object? value, string path, string key) =>
        value is IReadOnlyList<object?> list
            ? [.. list.Select((v, i) => Number(v, path, $"{key}[{i}]"))]
            : throw new PthFormatException($"'{path}': {key} is not a list of numbers.");

    private static void Collect(object? value, List<Tensor> tensors)
    {
        switch (value)
        {
            case Tensor tensor:
                tensors.Add(tensor);
                break;
            case IReadOnlyDictionary<string, object?> dict:
                foreach (var item in dict.Values)
                {
                    Collect(item, tensors);
                }

                break;
            case IReadOnlyList<object?> list:
                foreach (var item in list)
                {
                    Collect(item, tensors);
                }

                break;
        }
    }
}
