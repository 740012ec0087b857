namespace CellVision.Tracking;

/// <summary>
/// Settings of the global decoder. Costs are in log-odds units (nats): an edge with probability p costs
/// −log(p / (1 − p)), so an edge above 0.5 lowers the total. With the defaults an uncontested edge is taken when
/// p &gt; sigmoid(−(appear + disappear)) ≈ 0.12. With <see cref="DivisionModel.Midpoint"/> a mother continuing into
/// one cell takes a second one that would otherwise appear when she sits closer than
/// <see cref="NeutralMidpointRatio"/> to their midpoint (in units of their separation); with
/// <see cref="DivisionModel.TwoEdges"/> when the second daughter's edge has p &gt; sigmoid(division − appear) = 0.5.
/// </summary>
public sealed record GlobalDecoderOptions
{
    /// <summary>The cost of a cell without parent (a track start; default 1).</summary>
    public double AppearCost { get; init; } = 1;

    /// <summary>The cost of a cell without child (a track end; default 1).</summary>
    public double DisappearCost { get; init; } = 1;

    /// <summary>The cost of a cell with two children (a division; default 1).</summary>
    public double DivisionCost { get; init; } = 1;

    /// <summary>How a division is priced (default <see cref="DivisionModel.Midpoint"/>).</summary>
    public DivisionModel Divisions { get; init; } = DivisionModel.Midpoint;

    /// <summary>
    /// With <see cref="DivisionModel.Midpoint"/>: nats per unit of the mother's offset ratio, her distance to her
    /// daughters' midpoint over the daughters' distance to each other (default 4).
    /// </summary>
    public double MidpointWeight { get; init; } = 4;

    /// <summary>
    /// With <see cref="DivisionModel.Midpoint"/>: the offset ratio at which the geometry neither favours nor penalises
    /// a division (default 0.4). True divisions lie below it (ASTEC Phallusia embryos: at most 0.35, 95 % below 0.23;
    /// Fluo-N2DH-SIM+: up to 0.37); a mother that sits on one cell beside a stranger is near 0.5.
    /// </summary>
    public double NeutralMidpointRatio { get; init; } = 0.4;

    /// <summary>
    /// With <see cref="DivisionModel.Midpoint"/>: daughters are sought among this many of the mother's candidate
    /// targets, nearest first (default 6; true daughters are nearly always her two nearest cells).
    /// </summary>
    public int DivisionPartners { get; init; } = 6;

    /// <summary>
    /// Whether cells of the first frame appear and cells of the last frame disappear at no cost (default true): tracks
    /// that were already there when imaging started, or still are when it stopped, are not penalised.
    /// </summary>
    public bool FreeAtSequenceEnds { get; init; } = true;

    /// <summary>
    /// Candidate edges with a lower probability are dropped before solving (default 0.01). Edges with
    /// p ≤ sigmoid(−(appear + disappear)) are dropped in any case: they cannot improve an assignment.
    /// </summary>
    public double MinimumEdgeProbability { get; init; } = 0.01;

    /// <summary>
    /// Whether a cell that disappears takes the two nearest cells that appear one frame later, among those it has a
    /// candidate edge to, as daughters (default true). The reference network is trained with mother→daughter edges as
    /// negatives (spec §2), so its divisions show up as a track that ends beside two that start; this recovers them
    /// without the reference's parent for every new track. A mother with only one such cell gets none.
    /// </summary>
    public bool DivisionsFromEndedTracks { get; init; } = true;

    /// <summary>
    /// Whether a cell that appears one frame after a cell continuing into a single child becomes that child's sister,
    /// when it lies no farther from the mother than twice the child does (or than the mother's radius; default true).
    /// The network often takes one daughter for the mother's continuation, and the other then appears from nowhere.
    /// </summary>
    public bool DivisionsFromAppearingCells { get; init; } = true;

    /// <summary>
    /// The solver's time limit for each independent part of the assignment (default 60 s; parts are small, see
    /// <see cref="AssignmentSummary"/>). At the limit the part keeps the best assignment found, or a greedy one, and
    /// the result is marked not optimal.
    /// </summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A cost or weight is negative or not finite, the division model is unknown, the partners are fewer than 2 or more than 64, the threshold is outside [0, 1), or the time limit is not positive.</exception>
    public void Validate()
    {
        foreach (var (value, name) in new[] { (AppearCost, nameof(AppearCost)), (DisappearCost, nameof(DisappearCost)), (DivisionCost, nameof(DivisionCost)), (MidpointWeight, nameof(MidpointWeight)), (NeutralMidpointRatio, nameof(NeutralMidpointRatio)) })
        {
            if (!double.IsFinite(value) || value < 0 || value > 1e6)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number of nats in [0, 1e6].");
            }
        }

        if (!Enum.IsDefined(Divisions))
        {
            throw new ArgumentOutOfRangeException(nameof(Divisions), Divisions, "Unknown division model.");
        }

        if (DivisionPartners is < 2 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(DivisionPartners), DivisionPartners, "A mother's division partners must number 2 to 64.");
        }

        if (!(MinimumEdgeProbability >= 0 && MinimumEdgeProbability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumEdgeProbability), MinimumEdgeProbability, "The minimum edge probability must lie in [0, 1).");
        }

        if (TimeLimit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TimeLimit), TimeLimit, "The time limit must be positive.");
        }
    }
}
