namespace CellVision.Tracking;

/// <summary>
/// The batch order of the metric-learning training, as cell-tracker-gnn's <c>MPerClassSampler_weighted</c> with
/// <c>length_before_new_iter</c> = the number of samples: every pass shuffles the classes (cell ids) and takes
/// <see cref="SamplesPerClass"/> samples of each — a random run of consecutive entries of the class's (time-ordered)
/// sample list, all of them in random order when the class has exactly that many, or a draw with replacement when it
/// has fewer. Batches are consecutive stretches of the resulting list, so a batch holds about batch ÷ m ids, each
/// seen at m nearby times.
/// </summary>
public sealed class CellEmbeddingSampler
{
    private readonly List<int[]> classes;

    /// <summary>Creates the sampler.</summary>
    /// <param name="labels">The class of every sample, in sample order (time order within a class).</param>
    /// <param name="samplesPerClass">m, samples taken per class and pass (reference: 4).</param>
    /// <exception cref="ArgumentException">There are no samples.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samplesPerClass"/> is below 1.</exception>
    public CellEmbeddingSampler(IReadOnlyList<long> labels, int samplesPerClass = 4)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerClass, 1);
        if (labels.Count == 0)
        {
            throw new ArgumentException("The sampler needs at least one sample.", nameof(labels));
        }

        SamplesPerClass = samplesPerClass;
        var byClass = new Dictionary<long, List<int>>();
        var order = new List<long>();
        for (var i = 0; i < labels.Count; i++)
        {
            if (!byClass.TryGetValue(labels[i], out var list))
            {
                byClass.Add(labels[i], list = []);
                order.Add(labels[i]);
            }

            list.Add(i);
        }

        classes = [.. order.Select(label => byClass[label].ToArray())];
        var pass = PassLength;
        Length = pass < labels.Count ? labels.Count - (labels.Count % pass) : labels.Count;
        Passes = pass < labels.Count ? Length / pass : 1;
    }

    /// <summary>m, the samples taken per class and pass.</summary>
    public int SamplesPerClass { get; }

    /// <summary>The number of classes.</summary>
    public int ClassCount => classes.Count;

    /// <summary>The entries of one pass over the classes: m × classes.</summary>
    public int PassLength => SamplesPerClass * classes.Count;

    /// <summary>
    /// The epoch length the reference's data loader sees (its <c>__len__</c>): the sample count trimmed to a multiple of
    /// <see cref="PassLength"/>, or the sample count itself when one pass is longer.
    /// </summary>
    public int Length { get; }

    /// <summary>Passes per epoch: <see cref="Length"/> ÷ <see cref="PassLength"/>, at least 1.</summary>
    public int Passes { get; }

    /// <summary>Draws one epoch's sample order: <see cref="Passes"/> × <see cref="PassLength"/> sample indices.</summary>
    /// <param name="random">The source of randomness.</param>
    /// <returns>The indices.</returns>
    public int[] Epoch(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var result = new int[Passes * PassLength];
        var shuffled = Enumerable.Range(0, classes.Count).ToArray();
        var i = 0;
        for (var pass = 0; pass < Passes; pass++)
        {
            random.Shuffle(shuffled);
            foreach (var c in shuffled)
            {
                Take(classes[c], random, result.AsSpan(i, SamplesPerClass));
                i += SamplesPerClass;
            }
        }

        return result;
    }

    /// <summary>
    /// Cuts an epoch's order into batches of <paramref name="batchSize"/> consecutive entries, as many whole batches as
    /// <see cref="Length"/> holds (the reference drops the last partial batch); a set smaller than one batch gives one
    /// batch of everything drawn.
    /// </summary>
    /// <param name="random">The source of randomness.</param>
    /// <param name="batchSize">Samples per batch (reference: 32).</param>
    /// <returns>The batches of sample indices.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    public IReadOnlyList<int[]> Batches(Random random, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var order = Epoch(random);
        var count = Length / batchSize;
        if (count == 0)
        {
            return [order];
        }

        return [.. Enumerable.Range(0, count).Select(b => order.AsSpan(b * batchSize, batchSize).ToArray())];
    }

    // safe_nearest_frames_choice: a centre c uniform in [m/2, n − m/2), then for even m the run [c − m/2, c + m/2) or,
    // with probability ½, the run one later; for odd m the run [c − m/2, c + m/2 + 1) is the reference's m − 1 entries
    // plus one, so that every pass holds m per class.
    private void Take(int[] members, Random random, Span<int> destination)
    {
        var m = SamplesPerClass;
        if (members.Length < m)
        {
            for (var k = 0; k < m; k++)
            {
                destination[k] = members[random.Next(members.Length)];
            }

            return;
        }

        if (members.Length == m)
        {
            members.CopyTo(destination);
            random.Shuffle(destination);
            return;
        }

        var centre = random.Next(m / 2, members.Length - (m / 2));
        var start = centre - (m / 2);
        if (m % 2 == 0 && random.Next(2) == 1)
        {
            start++;
        }

        members.AsSpan(start, m).CopyTo(destination);
    }
}
