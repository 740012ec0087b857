using CellVision.Core.Volumes;

namespace CellVision.Segmentation.Tests;

/// <summary>
/// The balance of build_coordinates.py (FFN specification A.4.2): every partition value inside the margins, background
/// included and 255 ignored, is drawn max-count times, each of its positions ⌊max / n⌋ or ⌈max / n⌉ times; a seed fixes the order.
/// </summary>
public sealed class FloodFillCoordinateTests
{
    [Fact]
    public void Every_partition_is_drawn_as_often_as_the_largest_and_each_position_a_balanced_number_of_times()
    {
        using var first = RandomPartitions(11, 13, 17, seed: 1, values: [0, 1, 2, 5, 255], weights: [3, 1, 6, 2, 2]);
        using var second = RandomPartitions(9, 10, 12, seed: 2, values: [0, 2, 7, 255], weights: [1, 1, 1, 4]);
        var margin = (2, 1, 3);
        var set = FloodFillCoordinates.Build([first, second], ["a", "b"], new FloodFillCoordinateOptions { Margin = margin, Seed = 7 });

        var positions = new Dictionary<byte, List<FloodFillCoordinate>>();
        Volume<byte>[] volumes = [first, second];
        for (var v = 0; v < volumes.Length; v++)
        {
            for (var z = 2; z < volumes[v].Depth - 2; z++)
            {
                for (var y = 1; y < volumes[v].Height - 1; y++)
                {
                    for (var x = 3; x < volumes[v].Width - 3; x++)
                    {
                        var value = volumes[v][z, y, x];
                        if (value != FloodFillPartitions.Excluded)
                        {
                            (positions.TryGetValue(value, out var list) ? list : positions[value] = []).Add(new FloodFillCoordinate(v, z, y, x));
                        }
                    }
                }
            }
        }

        Assert.Equal([0, 1, 2, 5, 7], set.PartitionCounts.Keys.Order().Select(k => (int)k));
        Assert.All(positions, p => Assert.Equal(p.Value.Count, set.PartitionCounts[p.Key]));
        var max = positions.Values.Max(p => p.Count);
        Assert.Equal(positions.Count * max, set.Coordinates.Count);
        Assert.Equal(["a", "b"], set.Volumes.Select(v => v.Name));
        Assert.Equal((9, 10, 12), (set.Volumes[1].Depth, set.Volumes[1].Height, set.Volumes[1].Width));

        var drawn = set.Coordinates.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (value, list) in positions)
        {
            var times = list.Select(c => drawn.GetValueOrDefault(c)).ToList();
            Assert.Equal(max, times.Sum());
            var (quotient, remainder) = Math.DivRem(max, list.Count);
            Assert.All(times, t => Assert.InRange(t, quotient, quotient + 1));
            Assert.Equal(remainder, times.Count(t => t == quotient + 1));
        }

        Assert.Equal(positions.Values.Sum(p => p.Count), drawn.Count);
    }

    [Fact]
    public void A_seed_fixes_the_order_and_the_order_is_shuffled()
    {
        using var volume = RandomPartitions(10, 12, 14, seed: 3, values: [0, 3, 4, 255], weights: [4, 2, 1, 1]);
        var options = new FloodFillCoordinateOptions { Margin = (1, 1, 1), Seed = 42 };
        var once = FloodFillCoordinates.Build([volume], options: options).Coordinates;
        var again = FloodFillCoordinates.Build([volume], options: options).Coordinates;
        var other = FloodFillCoordinates.Build([volume], options: options with { Seed = 43 }).Coordinates;
        Assert.Equal(once, again);
        Assert.NotEqual(once, other);
        // Another seed draws the same positions; only which ones repeat once more than the others may change.
        Assert.Equal(once.Distinct().Order(Comparer), other.Distinct().Order(Comparer));
        Assert.Equal(once.Count, other.Count);

        // Shuffled globally: not grouped by partition value as it was collected.
        var values = once.Select(c => volume[c.Z, c.Y, c.X]).ToList();
        var runs = values.Zip(values.Skip(1)).Count(p => p.First != p.Second);
        Assert.True(runs > values.Count / 3, $"only {runs} changes of partition in {values.Count} coordinates");
    }

    [Fact]
    public void The_margin_keeps_faces_out_and_a_zero_margin_samples_up_to_the_faces()
    {
        using var volume = new Volume<byte>(6, 7, 8);
        volume.Span.Fill(3);
        volume[0, 0, 0] = 1;
        volume[5, 6, 7] = 255;
        var inside = FloodFillCoordinates.Build([volume], options: new FloodFillCoordinateOptions { Margin = (1, 2, 3), Seed = 0 });
        Assert.Equal([3], inside.PartitionCounts.Keys.Select(k => (int)k));
        Assert.Equal(4 * 3 * 2, inside.Coordinates.Count);
        Assert.All(inside.Coordinates, c => Assert.True(c.Z is >= 1 and < 5 && c.Y is >= 2 and < 5 && c.X is >= 3 and < 5, c.ToString()));

        var everything = FloodFillCoordinates.Build([volume], options: new FloodFillCoordinateOptions { Margin = (0, 0, 0), Seed = 0 });
        Assert.Equal(1, everything.PartitionCounts[1]);
        Assert.Equal((6 * 7 * 8) - 2, everything.PartitionCounts[3]);
        Assert.Equal(2 * everything.PartitionCounts[3], everything.Coordinates.Count);
        Assert.Equal(everything.PartitionCounts[3], everything.Coordinates.Count(c => c == new FloodFillCoordinate(0, 0, 0, 0)));
        Assert.DoesNotContain(new FloodFillCoordinate(0, 5, 6, 7), everything.Coordinates);
    }

    [Fact]
    public void Nothing_to_sample_and_bad_arguments_are_refused()
    {
        using var excluded = new Volume<byte>(5, 5, 5);
        excluded.Span.Fill(255);
        Assert.Throws<ArgumentException>(() => FloodFillCoordinates.Build([excluded], options: new FloodFillCoordinateOptions { Margin = (0, 0, 0) }));
        using var small = new Volume<byte>(5, 5, 5);
        Assert.Throws<ArgumentException>(() => FloodFillCoordinates.Build([small]));
        Assert.Throws<ArgumentException>(() => FloodFillCoordinates.Build([]));
        Assert.Throws<ArgumentException>(() => FloodFillCoordinates.Build([small], ["a", "b"], new FloodFillCoordinateOptions { Margin = (1, 1, 1) }));
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => FloodFillCoordinates.Build([small], options: new FloodFillCoordinateOptions { Margin = (1, -1, 1) }));
        Assert.Equal("Margin", negative.ParamName);
    }

    private static readonly Comparer<FloodFillCoordinate> Comparer = Comparer<FloodFillCoordinate>.Create((a, b) =>
        (a.Volume, a.Z, a.Y, a.X).CompareTo((b.Volume, b.Z, b.Y, b.X)));

    private static Volume<byte> RandomPartitions(int depth, int height, int width, int seed, byte[] values, int[] weights)
    {
        var random = new Random(seed);
        var volume = new Volume<byte>(depth, height, width);
        var total = weights.Sum();
        for (var i = 0; i < volume.Length; i++)
        {
            var draw = random.Next(total);
            var k = 0;
            while (draw >= weights[k])
            {
                draw -= weights[k++];
            }

            volume.Span[i] = values[k];
        }

        return volume;
    }
}
