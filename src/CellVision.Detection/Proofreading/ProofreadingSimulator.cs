using CellVision.Core.Annotations;
using CellVision.Core.Volumes;

namespace CellVision.Detection;

/// <summary>
/// A careful user proofreading a prediction against the ground truth, as in ELEPHANT's incremental loop: after each
/// prediction (merged into the annotations by <see cref="NucleusDetector.Detect"/>), it tags false positives
/// <c>fp</c>, adds missed nuclei as <c>fn</c> ellipsoids with their mask's moments, and approves correct detections
/// <c>tp</c>, within the budgets of <see cref="ProofreadingOptions"/>; retraining on the result is the caller's.
/// </summary>
/// <remarks>
/// A predicted spot (detection tag <c>Unlabeled</c>) is correct when its centre voxel lies in an instance that no
/// annotated nucleus (<c>tp</c>, <c>fn</c>) and no more confident prediction already claimed; any other prediction
/// (background, outside the volume, a second detection of a nucleus) is a false positive. An instance that no spot
/// claims is missed. The same options and seed give the same corrections.
/// </remarks>
public sealed class ProofreadingSimulator
{
    private readonly Random random;

    /// <summary>Creates a simulator.</summary>
    /// <param name="options">Budgets, orders and seed; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A budget or the minimum visible size is negative.</exception>
    public ProofreadingSimulator(ProofreadingOptions? options = null)
    {
        Options = options ?? new ProofreadingOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(Options.CorrectionsPerRound, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(Options.ApprovalsPerRound, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(Options.MinimumVisibleVoxels, nameof(options));
        random = new Random(Options.Seed);
    }

    /// <summary>The budgets, orders and seed.</summary>
    public ProofreadingOptions Options { get; }

    /// <summary>Proofreads one timepoint of <paramref name="graph"/> in place.</summary>
    /// <param name="graph">The annotations with the latest prediction merged in.</param>
    /// <param name="timepoint">The timepoint to proofread.</param>
    /// <param name="mask">The timepoint's ground-truth instances, with the frame's voxel size.</param>
    /// <returns>What was changed and what is left.</returns>
    public ProofreadingCorrections Correct(LineageGraph graph, int timepoint, Volume<ushort> mask)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(mask);
        var truth = TruthNuclei.FromMask(mask).ToDictionary(n => n.Label);
        var spots = graph.SpotsAt(timepoint).ToList();
        var claimed = new HashSet<int>();
        foreach (var spot in spots.Where(s => s.DetectionTag is DetectionTag.TruePositive or DetectionTag.FalseNegative))
        {
            if (AnnotatedLabel(spot, mask, truth.Values) is { } label)
            {
                claimed.Add(label);
            }
        }

        var correct = new List<Spot>();
        var falsePositives = new List<Spot>();
        foreach (var spot in spots.Where(s => s.DetectionTag == DetectionTag.Unlabeled).OrderByDescending(s => s.Quality).ThenBy(s => s.Id))
        {
            var label = NucleusMatching.LabelAt(mask, spot.X, spot.Y, spot.Z);
            (label != 0 && claimed.Add(label) ? correct : falsePositives).Add(spot);
        }

        var missed = truth.Values.Where(n => !claimed.Contains(n.Label) && n.Voxels >= Options.MinimumVisibleVoxels).ToList();
        missed = Options.MissedOrder == MissedNucleusOrder.LargestFirst
            ? [.. missed.OrderByDescending(n => n.Voxels).ThenBy(n => n.Label)]
            : Shuffled(missed);
        falsePositives = Ordered(falsePositives, Options.FalsePositiveOrder);

        int tagged = 0, added = 0;
        for (var budget = Options.CorrectionsPerRound; budget > 0 && (tagged < falsePositives.Count || added < missed.Count); budget--)
        {
            // One false positive, then one missed nucleus, in turn; the other list takes the turn once one runs out.
            var tagNext = tagged < falsePositives.Count && (tagged <= added || added == missed.Count);
            if (tagNext)
            {
                falsePositives[tagged++].DetectionTag = DetectionTag.FalsePositive;
            }
            else
            {
                var nucleus = missed[added++];
                var spot = graph.AddSpot(timepoint, nucleus.X, nucleus.Y, nucleus.Z, nucleus.Covariance);
                spot.DetectionTag = DetectionTag.FalseNegative;
            }
        }

        var approved = 0;
        foreach (var spot in Ordered(correct, Options.ApprovalOrder).Take(Options.ApprovalsPerRound))
        {
            spot.DetectionTag = DetectionTag.TruePositive;
            approved++;
        }

        return new ProofreadingCorrections(tagged, added, approved, falsePositives.Count - tagged, missed.Count - added);
    }

    /// <summary>
    /// The instance an annotated nucleus stands for: the one under its centre or, where a cut or curved instance's
    /// centroid falls outside it, the instance whose centroid it sits on.
    /// </summary>
    private static int? AnnotatedLabel(Spot spot, Volume<ushort> mask, IEnumerable<TruthNucleus> truth)
    {
        var label = NucleusMatching.LabelAt(mask, spot.X, spot.Y, spot.Z);
        if (label != 0)
        {
            return label;
        }

        var size = mask.VoxelSize;
        var tolerance = Math.Min(size.X, Math.Min(size.Y, size.Z)) / 2;
        return truth.FirstOrDefault(n => spot.SquaredDistanceTo(n.X, n.Y, n.Z) <= tolerance * tolerance)?.Label;
    }

    private List<Spot> Ordered(List<Spot> spots, ProofreadingOrder order) => order switch
    {
        ProofreadingOrder.MostConfidentFirst => [.. spots.OrderByDescending(s => s.Quality).ThenBy(s => s.Id)],
        ProofreadingOrder.LeastConfidentFirst => [.. spots.OrderBy(s => s.Quality).ThenBy(s => s.Id)],
        _ => Shuffled(spots.OrderBy(s => s.Id).ToList()),
    };

    private List<T> Shuffled<T>(List<T> items)
    {
        var array = items.ToArray();
        random.Shuffle(array);
        return [.. array];
    }
}
