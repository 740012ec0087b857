namespace CellVision.Tracking;

/// <summary>
/// The shape of <see cref="CellTrackGnn"/>: how many hand-crafted features a node has and whether it also has a
/// metric-learning embedding. The other widths are the reference's (<c>celltrack_model_2d.yaml</c>, <c>_3d.yaml</c>).
/// </summary>
public sealed record CellTrackGnnOptions
{
    /// <summary>The reference's 3-D model: 16 hand-crafted features and a 128-d embedding (249,895 parameters).</summary>
    public static CellTrackGnnOptions ThreeD { get; } = new() { HandcraftedFeatures = 16 };

    /// <summary>The reference's 2-D model: 13 hand-crafted features and a 128-d embedding (249,319 parameters).</summary>
    public static CellTrackGnnOptions TwoD { get; } = new() { HandcraftedFeatures = 13 };

    /// <summary>Hand-crafted features per node, Fh (default 16, the 3-D set; 13 in 2-D).</summary>
    public int HandcraftedFeatures { get; init; } = 16;

    /// <summary>
    /// Whether nodes carry a metric-learning embedding (default true). False gives the geometry-only variant: no
    /// embedding encoder, node features of <see cref="NodeEncoderWidth"/> (not twice that) entering the first
    /// convolution, and an edge-encoder input of <c>Fh + 1 + 3·16 + 1</c>. Everything else is unchanged.
    /// </summary>
    public bool UseEmbedding { get; init; } = true;

    /// <summary>Embedding features per node (default 128, the DML embedder's output).</summary>
    public int EmbeddingFeatures { get; init; } = 128;

    /// <summary>Message-passing layers (default 6: context from up to 6 frames back).</summary>
    public int MessagePassingLayers { get; init; } = 6;

    /// <summary>Output width of each node encoder (16).</summary>
    public const int NodeEncoderWidth = 16;

    /// <summary>Node features inside the message passing (32).</summary>
    public const int NodeChannels = 32;

    /// <summary>Edge features inside the message passing (64).</summary>
    public const int EdgeChannels = 64;

    /// <summary>Node features after the encoders: 32 with an embedding, 16 without.</summary>
    public int EncodedNodeFeatures => UseEmbedding ? 2 * NodeEncoderWidth : NodeEncoderWidth;

    /// <summary>Raw node features compared by the first edge features: Fh (+ the embedding's).</summary>
    public int RawNodeFeatures => HandcraftedFeatures + (UseEmbedding ? EmbeddingFeatures : 0);

    /// <summary>
    /// Input of the edge encoder: <c>|x0[src] − x0[trg]|, cos(x0), x[src], x[trg], |x[src] − x[trg]|, cos(x)</c>:
    /// 242 in 3-D and 239 in 2-D with an embedding; 66 and 63 without.
    /// </summary>
    public int EdgeEncoderInput => RawNodeFeatures + 1 + (3 * EncodedNodeFeatures) + 1;

    internal void Validate()
    {
        if (HandcraftedFeatures < 1 || EmbeddingFeatures < 1 || MessagePassingLayers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(HandcraftedFeatures), "Feature counts and the number of layers must be at least 1.");
        }
    }
}
