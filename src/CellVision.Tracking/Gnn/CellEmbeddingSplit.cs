namespace CellVision.Tracking;

/// <summary>
/// The metric-learning training's split of one sequence by cell id (cell-tracker-gnn's <c>deviation: 'no_overlap'</c>):
/// the ids sorted ascending, training takes the ids up to where the cumulative share of samples comes nearest the
/// training percentage, validation the rest, so no id is in both.
/// </summary>
public static class CellEmbeddingSplit
{
    /// <summary>The reference's training share, in percent (<c>train_val_test_split: [80, 20, 0]</c>).</summary>
    public const double DefaultTrainingPercent = 80;

    /// <summary>Splits the ids of a sequence's samples.</summary>
    /// <param name="sampleIds">The id of every sample (cell instance) of the sequence, in any order.</param>
    /// <param name="trainingPercent">The training share in percent (80).</param>
    /// <returns>The training and validation ids, each ascending.</returns>
    /// <remarks>
    /// With ids i₁ &lt; … &lt; i_k and c_j the percentage of samples with ids up to i_j, training takes i₁ … i_j for the
    /// first j that minimises |c_j − percent| (NumPy's <c>argmin</c>): at least one id, and every id at 100 %.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trainingPercent"/> is outside [0, 100].</exception>
    public static (IReadOnlyList<long> Training, IReadOnlyList<long> Validation) Split(IReadOnlyList<long> sampleIds, double trainingPercent = DefaultTrainingPercent)
    {
        ArgumentNullException.ThrowIfNull(sampleIds);
        if (!(trainingPercent is >= 0 and <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(trainingPercent), trainingPercent, "The training share must lie in [0, 100] percent.");
        }

        var counts = sampleIds.GroupBy(id => id).OrderBy(g => g.Key).Select(g => (Id: g.Key, Count: g.Count())).ToList();
        if (counts.Count == 0)
        {
            return ([], []);
        }

        var total = (double)sampleIds.Count;
        var best = 0;
        var bestDistance = double.PositiveInfinity;
        long cumulative = 0;
        for (var j = 0; j < counts.Count; j++)
        {
            cumulative += counts[j].Count;
            var distance = Math.Abs((100 * cumulative / total) - trainingPercent);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (j, distance);
            }
        }

        var ids = counts.Select(c => c.Id).ToList();
        return (ids[..(best + 1)], ids[(best + 1)..]);
    }
}
