namespace CellVision.Tracking;

/// <summary>How edge probabilities become tracks.</summary>
public enum GnnDecoder
{
    /// <summary>
    /// A global assignment solved exactly (CP-SAT): at most one parent and two children per cell, with costs for
    /// appearing, disappearing and dividing (<see cref="GlobalDecoderOptions"/>). The default.
    /// </summary>
    Global,

    /// <summary>
    /// The reference post-processing of cell-tracker-gnn, quirks included, for comparisons with its numbers: edges with
    /// p &gt; 0.5 are active, each cell follows its first active edge, merges are kept (fused), and every track that
    /// starts after frame 0 takes the nearest track that ended one frame earlier as its parent, however far.
    /// </summary>
    Reference,
}
