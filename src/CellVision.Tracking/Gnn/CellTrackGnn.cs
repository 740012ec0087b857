using CellVision.Networks;
using CellVision.Torch;

namespace CellVision.Tracking;

/// <summary>
/// The edge classifier of the GNN cell tracker (Ben-Haim and Riklin-Raviv, ECCV 2022; <c>CellTrack_Model</c>): node
/// encoders for the hand-crafted features and the metric-learning embedding, an edge encoder over both ends of each
/// edge, <see cref="CellTrackMessagePassing"/>, and a classifier that gives one logit per edge (same cell or not).
/// </summary>
/// <remarks>
/// <para>
/// Forward pass, with <c>x0 = [hand, embedding]</c>: <c>x = [MLP(Fh,[64,16],0.4)(hand), MLP(128,[64,16],0.4)(embedding)]</c>;
/// <c>e = MLP(242,[128,64],0.4)([|x0[src] − x0[trg]|, cos(x0[src], x0[trg]), x[src], x[trg], |x[src] − x[trg]|, cos(x[src], x[trg])])</c>;
/// six message-passing layers; <c>logit = MLP(64,[128,32,1],0.2)(e)</c>. Cosines are torch 1.8's (see
/// <see cref="CellTrackGnnOptions"/>). Linear layers other than the convolutions' keep PyTorch's default initialisation;
/// the layers are made in the reference's order, so after the same seed the weights equal Python's.
/// </para>
/// <para>
/// State-dict keys (the reference's, so its weights load; l = 0 … 5):
/// <c>handcrafted_node_embedding.fc_layers.{0,3}.{weight,bias}</c>,
/// <c>learned_node_embedding.fc_layers.{0,3}.{weight,bias}</c> (absent without an embedding),
/// <c>learned_edge_embedding.fc_layers.{0,3}.{weight,bias}</c>,
/// <c>message_passing.convs.{l}.bias</c>, <c>message_passing.convs.{l}.lin.weight</c>,
/// <c>message_passing.convs.{l}.mlp.{0,2}.{weight,bias}</c>, <c>message_passing.fcs.{l}.fc_layers.{0,3}.{weight,bias}</c>,
/// <c>edge_classifier.fc_layers.{0,3,6}.{weight,bias}</c>. A Lightning checkpoint's state dict has them under
/// <c>model.</c>; <see cref="LoadReferenceWeights"/> accepts both.
/// </para>
/// <para>
/// Parameters: 249,895 in 3-D (Fh = 16) and 249,319 in 2-D (Fh = 13), as the reference. The geometry-only variant
/// (<see cref="CellTrackGnnOptions.UseEmbedding"/> false) drops the embedding encoder (9,296), narrows the edge
/// encoder's input by 176 columns (22,528) and the first convolution's Θ from 32 to 16 inputs (512): 217,559 in 3-D and
/// 216,983 in 2-D.
/// </para>
/// </remarks>
public sealed class CellTrackGnn : Module<CellTrackGnnGraph, Tensor>
{
    private readonly Mlp handcraftedEncoder;
    private readonly Mlp? embeddingEncoder;
    private readonly Mlp edgeEncoder;
    private readonly Mlp classifier;

    /// <summary>Creates the model with fresh weights.</summary>
    /// <param name="options">Features and variant; null for the 3-D model with embeddings.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1.</exception>
    public CellTrackGnn(CellTrackGnnOptions? options = null)
    {
        Options = options ?? new CellTrackGnnOptions();
        Options.Validate();
        const int Width = CellTrackGnnOptions.NodeEncoderWidth;
        handcraftedEncoder = RegisterModule("handcrafted_node_embedding", new Mlp(Options.HandcraftedFeatures, [64, Width], 0.4));
        if (Options.UseEmbedding)
        {
            embeddingEncoder = RegisterModule("learned_node_embedding", new Mlp(Options.EmbeddingFeatures, [64, Width], 0.4));
        }

        edgeEncoder = RegisterModule("learned_edge_embedding", new Mlp(Options.EdgeEncoderInput, [128, CellTrackGnnOptions.EdgeChannels], 0.4));
        MessagePassing = RegisterModule("message_passing", new CellTrackMessagePassing(
            Options.EncodedNodeFeatures, CellTrackGnnOptions.NodeChannels, CellTrackGnnOptions.EdgeChannels, gateChannels: 16, edgeHidden: 128, Options.MessagePassingLayers));
        classifier = RegisterModule("edge_classifier", new Mlp(CellTrackGnnOptions.EdgeChannels, [128, 32, 1], 0.2, activateLast: false));
    }

    /// <summary>The shape the model was made with.</summary>
    public CellTrackGnnOptions Options { get; }

    /// <summary>The message-passing layers.</summary>
    public CellTrackMessagePassing MessagePassing { get; }

    /// <summary>Number of trainable values.</summary>
    public long ParameterCount => Parameters().Sum(p => p.ElementCount);

    /// <summary>One logit per edge; in training mode the encoders and the classifier apply dropout.</summary>
    /// <param name="input">The graph (labels are not read).</param>
    /// <returns>(E) logits, float32.</returns>
    /// <exception cref="ArgumentException">Feature widths do not match the options, or the embedding is missing or unexpected.</exception>
    public override Tensor Forward(CellTrackGnnGraph input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Check(input);
        using var scope = DisposeScope.Enter();
        var source = input.EdgeIndex.Select(0, 0);
        var target = input.EdgeIndex.Select(0, 1);
        var raw = embeddingEncoder is null ? input.Handcrafted : Tensor.Concatenate([input.Handcrafted, input.Embedding!], 1);
        var rawSource = raw.IndexSelect(0, source);
        var rawTarget = raw.IndexSelect(0, target);
        var rawComparison = Tensor.Concatenate([(rawSource - rawTarget).Abs(), GraphTensors.CosineSimilarity(rawSource, rawTarget).Unsqueeze(1)], 1);

        var x = handcraftedEncoder.Forward(input.Handcrafted);
        if (embeddingEncoder is not null)
        {
            x = Tensor.Concatenate([x, embeddingEncoder.Forward(input.Embedding!)], 1);
        }

        var edges = edgeEncoder.Forward(GraphTensors.EndpointFeatures(rawComparison, x, source, target));
        edges = MessagePassing.Forward(x, input.EdgeIndex, edges);
        return scope.MoveToOuter(classifier.Forward(edges).Squeeze(1));
    }

    /// <summary>Logits in evaluation mode without gradients (dropout off), as the reference's inference; the mode is restored.</summary>
    /// <param name="input">The graph.</param>
    /// <returns>(E) logits on the CPU.</returns>
    public float[] PredictLogits(CellTrackGnnGraph input)
    {
        var training = IsTraining;
        Eval();
        try
        {
            using var scope = DisposeScope.Enter();
            using var noGrad = GradientMode.NoGrad();
            return Forward(input).ToArray<float>();
        }
        finally
        {
            Train(training);
        }
    }

    /// <summary>Which edges are active at inference: <c>sigmoid(logit) &gt; 0.5</c>, computed in float32 as the reference does.</summary>
    /// <param name="logits">(E) logits.</param>
    /// <returns>(E) bool.</returns>
    public static Tensor ActiveEdges(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        using var scope = DisposeScope.Enter();
        return scope.MoveToOuter(logits.Sigmoid() > 0.5);
    }

    /// <summary>Which edges are active at inference (<see cref="ActiveEdges(Tensor)"/> over <see cref="PredictLogits"/>).</summary>
    /// <param name="input">The graph.</param>
    /// <returns>One flag per edge.</returns>
    public bool[] PredictActiveEdges(CellTrackGnnGraph input)
    {
        using var scope = DisposeScope.Enter();
        var logits = PredictLogits(input);
        return ActiveEdges(Tensor.FromSpan<float>(logits, [logits.Length])).ToArray<bool>();
    }

    /// <summary>
    /// Loads weights saved by the reference: a <c>CellTrack_Model</c> state dict, or the state dict of its Lightning
    /// module, whose keys carry a <c>model.</c> prefix (other entries are ignored then). Strict otherwise.
    /// </summary>
    /// <param name="source">The tensors.</param>
    /// <exception cref="StateDictMismatchException">Keys or shapes differ.</exception>
    public void LoadReferenceWeights(IReadOnlyDictionary<string, Tensor> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        const string Prefix = "model.";
        if (source.Keys.Any(k => k.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            source = source.Where(p => p.Key.StartsWith(Prefix, StringComparison.Ordinal))
                .ToDictionary(p => p.Key[Prefix.Length..], p => p.Value, StringComparer.Ordinal);
        }

        LoadStateDict(source);
    }

    private void Check(CellTrackGnnGraph input)
    {
        if (input.Handcrafted.Shape is not [_, var fh] || fh != Options.HandcraftedFeatures)
        {
            throw new ArgumentException($"Hand-crafted features must be (N, {Options.HandcraftedFeatures}), not [{string.Join(", ", input.Handcrafted.Shape)}].", nameof(input));
        }

        if (embeddingEncoder is null != input.Embedding is null)
        {
            throw new ArgumentException(embeddingEncoder is null ? "This geometry-only model takes no embedding." : "This model needs the nodes' embeddings.", nameof(input));
        }

        if (input.Embedding is { } embedding && (embedding.Shape is not [var n, var f] || n != input.NodeCount || f != Options.EmbeddingFeatures))
        {
            throw new ArgumentException($"Embeddings must be ({input.NodeCount}, {Options.EmbeddingFeatures}), not [{string.Join(", ", embedding.Shape)}].", nameof(input));
        }

        if (input.EdgeIndex.Shape is not [2, _] || input.EdgeIndex.ScalarType != ScalarType.Int64)
        {
            throw new ArgumentException($"The edge index must be (2, E) int64, not [{string.Join(", ", input.EdgeIndex.Shape)}] {input.EdgeIndex.ScalarType}.", nameof(input));
        }
    }
}
