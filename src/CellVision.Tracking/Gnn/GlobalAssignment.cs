using System.Diagnostics;
using System.Globalization;
using CellVision.Core.Geometry;
using Google.OrTools.Sat;

namespace CellVision.Tracking;

/// <summary>
/// The global decoder's integer program, solved exactly with CP-SAT. One binary x_e per candidate edge and, per cell
/// v, binaries a_v (appears), d_v (disappears) and s_v (divides):
/// <code>
/// Σ_in(v) x_e + a_v = 1                 at most one parent; a cell without one appears
/// Σ_out(v) x_e + d_v − s_v = 1          one child, none (d_v) or two (s_v)
/// d_v + s_v ≤ 1
/// minimise Σ −logit(p_e)·x_e + A·Σ a_v + D·Σ d_v + S·Σ s_v
/// </code>
/// The model handed to CP-SAT substitutes a_v and d_v (fewer variables, the same optimum): Σ_in(v) x_e ≤ 1,
/// Σ_out(v) x_e ≤ 1 + s_v, and minimise Σ (−logit(p_e) − A_target − D_source)·x_e + Σ (S + D_v)·s_v + Σ (A_v + D_v).
/// That is <see cref="DivisionModel.TwoEdges"/>. With <see cref="DivisionModel.Midpoint"/> a division is instead one
/// binary y per hypothesis (<see cref="DivisionPairs"/>) that takes both daughters' parent slots and the mother's child
/// slot: Σ_in(v) (x_e + y) ≤ 1 and Σ_out(v) (x_e + y) ≤ 1, with the pair's own cost in place of its two edges'.
/// A and D are 0 in the first and last frame when <see cref="GlobalDecoderOptions.FreeAtSequenceEnds"/> is set.
/// Costs are in nats, scaled to integer millinats for CP-SAT. The program falls apart into independent parts
/// (<see cref="AssignmentParts"/>), each solved to optimality on its own.
/// </summary>
internal static class GlobalAssignment
{
    /// <summary>Integer units per nat: costs are rounded to 0.001 nat.</summary>
    private const double Scale = 1000;

    /// <summary>Probabilities are clamped to [ε, 1 − ε] so that every edge cost is finite (|cost| ≤ 13.8 nats).</summary>
    private const double Epsilon = 1e-6;

    /// <summary>Edges per CP-SAT model: small parts are packed together to save the solver's start-up per model.</summary>
    private const int EdgesPerModel = 2000;

    /// <summary>The chosen links and how the solve went.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static (List<CandidateEdge> Links, AssignmentSummary Summary) Solve(
        EdgeScores scores, VoxelSize voxelSize, GlobalDecoderOptions options, Action<GnnDecodingProgress>? report, Stopwatch clock, CancellationToken cancellationToken)
    {
        var nodes = scores.Nodes;
        var firstFrame = nodes.Count == 0 ? 0 : nodes.Min(n => n.Frame);
        var lastFrame = nodes.Count == 0 ? 0 : nodes.Max(n => n.Frame);

        // Every cell appears and disappears unless an edge says otherwise: that is the constant. Substituting
        // a_v = 1 − in(v) and d_v = 1 − out(v) + s_v moves the appear and disappear costs onto the edges.
        var appear = new long[nodes.Count];
        var disappear = new long[nodes.Count];
        long constant = 0;
        for (var v = 0; v < nodes.Count; v++)
        {
            appear[v] = Scaled(options.FreeAtSequenceEnds && nodes[v].Frame == firstFrame ? 0 : options.AppearCost);
            disappear[v] = Scaled(options.FreeAtSequenceEnds && nodes[v].Frame == lastFrame ? 0 : options.DisappearCost);
            constant += appear[v] + disappear[v];
        }

        // An edge that costs at least appear + disappear can leave any assignment without making it worse (its target
        // then appears, its source disappears or stops dividing), so it cannot help and stays out of the model.
        var useless = options.AppearCost + options.DisappearCost;
        var edges = new List<CandidateEdge>();
        var weights = new List<long>();
        for (var e = 0; e < scores.Edges.Count; e++)
        {
            var p = scores.Probabilities[e];
            if (p >= options.MinimumEdgeProbability && EdgeCost(p) < useless)
            {
                var (source, target) = scores.Edges[e];
                edges.Add(scores.Edges[e]);
                weights.Add(Scaled(EdgeCost(p)) - appear[target] - disappear[source]);
            }
        }

        var pairs = new List<DivisionPair>();
        if (options.Divisions == DivisionModel.Midpoint)
        {
            var singles = new Dictionary<CandidateEdge, long>(edges.Count);
            for (var k = 0; k < edges.Count; k++)
            {
                singles[edges[k]] = Math.Min(weights[k], singles.GetValueOrDefault(edges[k], long.MaxValue));
            }

            (pairs, var pairWeights) = DivisionPairs.Build(scores, voxelSize, options, appear, disappear, singles, Scaled);
            weights.AddRange(pairWeights);
        }

        var parts = AssignmentParts.Split(edges, pairs, nodes.Count, EdgesPerModel);
        var links = new List<CandidateEdge>();
        var total = new Part(constant, constant, true, 0, 0);
        for (var i = 0; i < parts.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var part = SolvePart(parts[i], edges, pairs, weights, disappear, options, links, cancellationToken);
            total = new Part(total.Objective + part.Objective, total.Bound + part.Bound, total.IsOptimal && part.IsOptimal, total.Seconds + part.Seconds, total.Variables + part.Variables);
            report?.Invoke(new GnnDecodingProgress("solve", i + 1, parts.Count, clock.Elapsed));
        }

        links.Sort((a, b) => a.Source != b.Source ? a.Source.CompareTo(b.Source) : a.Target.CompareTo(b.Target));
        var summary = new AssignmentSummary(total.IsOptimal, total.Objective / Scale, total.Bound / Scale, TimeSpan.FromSeconds(total.Seconds), edges.Count, total.Variables);
        return (links, summary);
    }

    /// <summary>−log(p / (1 − p)): negative for p &gt; 0.5, so likely edges lower the total.</summary>
    internal static double EdgeCost(double p)
    {
        p = Math.Clamp(p, Epsilon, 1 - Epsilon);
        return Math.Log((1 - p) / p);
    }

    /// <summary>
    /// Solves one part (indices into the edges, then the pairs after them) and adds its chosen links; a part the solver
    /// could not finish keeps the greedy assignment.
    /// </summary>
    private static Part SolvePart(
        List<int> part, List<CandidateEdge> edges, List<DivisionPair> pairs, List<long> weights, long[] disappear, GlobalDecoderOptions options, List<CandidateEdge> links, CancellationToken cancellationToken)
    {
        var model = new CpModel();
        var terms = new List<BoolVar>(part.Count);
        var termWeights = new List<long>(part.Count);
        var incoming = new Dictionary<int, List<BoolVar>>();
        var outgoing = new Dictionary<int, List<BoolVar>>();
        void Slot(Dictionary<int, List<BoolVar>> slots, int node, BoolVar variable) => (slots.TryGetValue(node, out var list) ? list : slots[node] = []).Add(variable);
        foreach (var k in part)
        {
            var x = model.NewBoolVar($"x{k}");
            terms.Add(x);
            termWeights.Add(weights[k]);
            if (k < edges.Count)
            {
                Slot(incoming, edges[k].Target, x);
                Slot(outgoing, edges[k].Source, x);
            }
            else
            {
                var pair = pairs[k - edges.Count];
                Slot(incoming, pair.First, x);
                Slot(incoming, pair.Second, x);
                Slot(outgoing, pair.Mother, x);
            }
        }

        foreach (var ins in incoming.Values.Where(list => list.Count > 1))
        {
            model.AddAtMostOne(ins);
        }

        foreach (var (source, outs) in outgoing.Where(pair => pair.Value.Count > 1))
        {
            if (options.Divisions == DivisionModel.Midpoint)
            {
                // One single edge or one division pair.
                model.AddAtMostOne(outs);
                continue;
            }

            // Two children only with s_v, which pays the division cost and gives back the disappear cost.
            var s = model.NewBoolVar($"s{source}");
            model.Add(LinearExpr.Sum(outs) <= 1 + s);
            terms.Add(s);
            termWeights.Add(Scaled(options.DivisionCost) + disappear[source]);
        }

        model.Minimize(LinearExpr.WeightedSum(terms, termWeights));
        var greedy = Greedy(part, edges, weights);
        for (var i = 0; i < part.Count; i++)
        {
            model.AddHint(terms[i], greedy[i]);
        }

        using var solver = new CpSolver
        {
            // One worker with the full linear relaxation: on these models it proves optimality in a fraction of the
            // time that the default relaxation or CP-SAT's multi-worker portfolio takes, and the result is reproducible.
            StringParameters = string.Create(CultureInfo.InvariantCulture,
                $"max_time_in_seconds:{options.TimeLimit.TotalSeconds} num_workers:1 linearization_level:2 random_seed:0"),
        };
        CpSolverStatus status;
        using (cancellationToken.Register(solver.StopSearch))
        {
            status = solver.Solve(model);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var solved = status is CpSolverStatus.Optimal or CpSolverStatus.Feasible;
        long objective = 0;
        for (var i = 0; i < part.Count; i++)
        {
            if (solved ? solver.BooleanValue(terms[i]) : greedy[i])
            {
                var k = part[i];
                if (k < edges.Count)
                {
                    links.Add(edges[k]);
                }
                else
                {
                    var pair = pairs[k - edges.Count];
                    links.Add(new CandidateEdge(pair.Mother, pair.First));
                    links.Add(new CandidateEdge(pair.Mother, pair.Second));
                }

                objective += weights[k];
            }
        }

        // Without a solution the bound falls back to taking every cheapening edge and no division, which is below any assignment.
        objective = solved ? (long)Math.Round(solver.ObjectiveValue) : objective;
        var bound = solved ? (long)Math.Round(solver.BestObjectiveBound) : part.Sum(k => Math.Min(0, weights[k]));
        return new Part(objective, bound, status == CpSolverStatus.Optimal, solver.WallTime(), terms.Count);
    }

    /// <summary>
    /// Single links taken cheapest first, no divisions: a feasible assignment that hints the solver and stands in for
    /// a part the solver did not finish within the time limit.
    /// </summary>
    private static bool[] Greedy(List<int> part, List<CandidateEdge> edges, List<long> weights)
    {
        var take = new bool[part.Count];
        var hasParent = new HashSet<int>();
        var hasChild = new HashSet<int>();
        foreach (var i in Enumerable.Range(0, part.Count).Where(i => part[i] < edges.Count).OrderBy(i => weights[part[i]]).ThenBy(i => i))
        {
            var (source, target) = edges[part[i]];
            if (weights[part[i]] < 0 && !hasParent.Contains(target) && !hasChild.Contains(source))
            {
                take[i] = true;
                hasParent.Add(target);
                hasChild.Add(source);
            }
        }

        return take;
    }

    private static long Scaled(double nats) => (long)Math.Round(nats * Scale, MidpointRounding.AwayFromZero);

    /// <summary>A solved part, or the running total: costs in millinats.</summary>
    private readonly record struct Part(long Objective, long Bound, bool IsOptimal, double Seconds, int Variables);
}
