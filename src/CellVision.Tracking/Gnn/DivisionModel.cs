namespace CellVision.Tracking;

/// <summary>How the global decoder prices a cell with two children.</summary>
public enum DivisionModel
{
    /// <summary>
    /// Each daughter's edge costs its own log-odds, plus <see cref="GlobalDecoderOptions.DivisionCost"/>. A network
    /// that sees one daughter as the continuation and the other as a stranger then rarely divides.
    /// </summary>
    TwoEdges,

    /// <summary>
    /// A division is one hypothesis over the mother and a pair of daughters, priced by where the mother sits between
    /// them: the likelier daughter's edge cost (when that edge's p is above 0.5), plus
    /// <see cref="GlobalDecoderOptions.DivisionCost"/>, plus <see cref="GlobalDecoderOptions.MidpointWeight"/> ×
    /// (|mother − midpoint| / |daughter − daughter| − <see cref="GlobalDecoderOptions.NeutralMidpointRatio"/>). A mother
    /// halfway between her daughters earns a credit; one sitting on a daughter (a continuation beside a stranger) pays.
    /// The second daughter's edge is not priced: a network trained as the reference (mother→daughter links negative)
    /// scores both daughters low, and one trained on lineages often scores the far daughter low. The default.
    /// </summary>
    Midpoint,
}
