using CellVision.Networks;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>The metric-learning sampler, the split by cell id and MAP@R on hand-worked cases.</summary>
public sealed class DmlSamplerAndSplitTests
{
    [Fact]
    public void Each_pass_takes_a_contiguous_run_all_members_in_any_order_or_draws_with_replacement()
    {
        // Class 7: 10 samples interleaved with the others; class 8: exactly 4; class 9: 2 (fewer than m).
        var labels = new List<long>();
        for (var t = 0; t < 10; t++)
        {
            labels.Add(7);
            if (t < 4)
            {
                labels.Add(8);
            }

            if (t < 2)
            {
                labels.Add(9);
            }
        }

        var members = labels.Select((l, i) => (l, i)).GroupBy(p => p.l).ToDictionary(g => g.Key, g => g.Select(p => p.i).ToArray());
        var sampler = new CellEmbeddingSampler(labels, samplesPerClass: 4);
        Assert.Equal((3, 12, 12, 1), (sampler.ClassCount, sampler.PassLength, sampler.Length, sampler.Passes));
        var random = new Random(1);
        var starts = new HashSet<int>();
        for (var draw = 0; draw < 300; draw++)
        {
            var epoch = sampler.Epoch(random);
            Assert.Equal(12, epoch.Length);
            var seen = new HashSet<long>();
            for (var c = 0; c < 3; c++)
            {
                var run = epoch.AsSpan(c * 4, 4).ToArray();
                var label = labels[run[0]];
                Assert.True(seen.Add(label), "every class once per pass");
                Assert.All(run, i => Assert.Equal(label, labels[i]));
                var list = members[label];
                switch (label)
                {
                    case 7:
                        var start = Array.IndexOf(list, run[0]);
                        Assert.Equal(list.AsSpan(start, 4).ToArray(), run);
                        starts.Add(start);
                        break;
                    case 8:
                        Assert.Equal(list, run.Order());
                        break;
                    default:
                        Assert.All(run, i => Assert.Contains(i, list));
                        break;
                }
            }
        }

        // Every run of 4 in a list of 10 can come up, the first and the last included.
        Assert.Equal(Enumerable.Range(0, 7), starts.Order());
    }

    [Fact]
    public void The_epoch_is_trimmed_to_whole_passes_and_cut_into_whole_batches()
    {
        // 30 samples of 3 classes: a pass is 12, so the epoch is 24 entries (2 passes) and 3 batches of 8.
        var labels = Enumerable.Range(0, 30).Select(i => (long)(i % 3)).ToList();
        var sampler = new CellEmbeddingSampler(labels);
        Assert.Equal((24, 2), (sampler.Length, sampler.Passes));
        var random = new Random(4);
        var batches = sampler.Batches(random, 8);
        Assert.Equal(3, batches.Count);
        Assert.All(batches, b => Assert.Equal(8, b.Length));
        Assert.Single(sampler.Batches(random, 32)); // smaller than one batch: everything drawn, once
        Assert.Equal(24, sampler.Batches(random, 32)[0].Length);

        // One pass longer than the set: the reference's length stays the sample count, one pass is drawn.
        var few = new CellEmbeddingSampler([1, 1, 2, 3, 4]);
        Assert.Equal((5, 1, 16), (few.Length, few.Passes, few.Epoch(random).Length));
    }

    [Fact]
    public void The_split_takes_sorted_ids_up_to_the_cumulative_share_nearest_80_percent()
    {
        // Counts by sorted id 1..5: 3, 2, 4, 1, 2 of 12; cumulative 25, 41.7, 75, 83.3, 100 %: 83.3 is nearest 80.
        long[] ids = [5, 3, 1, 2, 3, 4, 1, 3, 2, 5, 1, 3];
        var (training, validation) = CellEmbeddingSplit.Split(ids);
        Assert.Equal([1L, 2, 3, 4], training);
        Assert.Equal([5L], validation);

        var (training75, validation75) = CellEmbeddingSplit.Split(ids, 75);
        Assert.Equal([1L, 2, 3], training75);
        Assert.Equal([4L, 5], validation75);
        Assert.Single(CellEmbeddingSplit.Split(ids, 0).Training); // argmin keeps at least one id
        Assert.Empty(CellEmbeddingSplit.Split(ids, 100).Validation);
        Assert.Empty(CellEmbeddingSplit.Split([]).Training);
    }

    [Fact]
    public void Map_at_r_matches_a_hand_worked_case()
    {
        // Unit vectors at angles (degrees); class 0 at 0, 12, 100, class 1 at 20, 210. k = 2.
        // Class 0: AP 1/2, 1/4, 1/4 -> 1/3; class 1: both nearest neighbours are of class 0 -> 0. Mean of classes: 1/6.
        double[] angles = [0, 12, 100, 20, 210];
        var embeddings = angles.SelectMany(a => new[] { (float)Math.Cos(a * Math.PI / 180), (float)Math.Sin(a * Math.PI / 180) }).ToArray();
        Assert.Equal(1.0 / 6, MeanAveragePrecisionAtR.Compute(embeddings, 2, [0, 0, 0, 1, 1]), 6);
        Assert.Equal(0, MeanAveragePrecisionAtR.Compute(embeddings, 2, [0, 1, 2, 3, 4]));
        Assert.Equal(1, MeanAveragePrecisionAtR.Compute([1, 0, 1, 0.01f, 0, 1, 0.01f, 1], 2, [0, 0, 1, 1]), 9);
    }
}
