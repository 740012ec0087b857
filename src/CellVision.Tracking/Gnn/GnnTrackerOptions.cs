namespace CellVision.Tracking;

/// <summary>Settings of <see cref="GnnTracker"/>, with the reference's defaults (cell-tracker-gnn's CTC configuration).</summary>
public sealed record GnnTrackerOptions
{
    /// <summary>Node features, candidate gate and its size (reference: hand-crafted features, a box of twice the largest cell extent).</summary>
    public CandidateGraphOptions Graph { get; init; } = new();

    /// <summary>Adam's learning rate and weight decay, graphs per batch (reference: 1e-3, 1e-5, 8).</summary>
    public CellTrackGnnTrainingOptions Optimizer { get; init; } = new();

    /// <summary>Frames per training graph (reference: 10, windows moved by one frame).</summary>
    public int WindowLength { get; init; } = TrainingWindows.DefaultLength;

    /// <summary>The most training epochs (reference: 500).</summary>
    public int MaxEpochs { get; init; } = 500;

    /// <summary>Epochs without a better validation accuracy before training stops (reference: 50).</summary>
    public int Patience { get; init; } = 50;

    /// <summary>
    /// Whether early stopping and the kept epoch pass over epochs whose validation accuracy does not beat linking
    /// nothing (the share of negative candidate edges; default true). From its initial weights the network predicts no
    /// link, which scores that share, and on its way to useful links it first scores below it: the reference (false)
    /// then keeps epoch 1 and stops after <see cref="Patience"/> epochs when the network needs longer — on
    /// Fluo-N2DH-SIM+ about 70 epochs — and returns a network that links nothing.
    /// </summary>
    public bool SkipTrivialEpochs { get; init; } = true;

    /// <summary>Share of the windows held out for validation (reference: 0.2).</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>
    /// Seed of the initial weights, the dropout masks and the order of the training batches; null for a different run
    /// each time (the reference sets no seed). The dropout masks come from libtorch's process-wide generator: other work
    /// drawing random numbers from it while the tracker trains changes them.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>
    /// The metric-learning embedding computed for each cell when the tracker is trained or run on image folders (the
    /// reference: on, trained first on the ground truth); null leaves it out, so nodes have the hand-crafted or geometry
    /// features only. <see cref="GnnTracker.Train"/> and <see cref="GnnTracker.Predict(IReadOnlyList{IReadOnlyList{CellFeatures}})"/>
    /// themselves use whatever embeddings the cells carry.
    /// </summary>
    public GnnEmbeddingOptions? Embedding { get; init; } = new();

    /// <summary>
    /// Run the network's large linear layers on oneDNN while training and predicting (default; see
    /// <see cref="CellVision.Torch.LinearKernels"/>): several times faster where libtorch's BLAS is the reference one,
    /// with results that differ from PyTorch's by float32 rounding. False keeps PyTorch's kernels.
    /// </summary>
    public bool OneDnnLinearLayers { get; init; } = true;

    /// <summary>How edge probabilities become tracks (default: the global assignment with at most one parent and two children per cell).</summary>
    public GnnDecodingOptions Decoding { get; init; } = new();

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Graph);
        ArgumentNullException.ThrowIfNull(Optimizer);
        ArgumentNullException.ThrowIfNull(Decoding);
        Graph.Validate();
        Decoding.Validate();
        Embedding?.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(WindowLength, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxEpochs);
        ArgumentOutOfRangeException.ThrowIfLessThan(Patience, 1);
        if (!(ValidationFraction is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "The validation share must lie in [0, 1).");
        }
    }
}
