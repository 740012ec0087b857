using CellVision.Core.Volumes;

namespace CellVision.Segmentation.Tests;

/// <summary>The edges of the partition computation: the border, volumes too small for a box, progress, cancellation and bad settings.</summary>
public sealed class FloodFillPartitionTests
{
    [Fact]
    public void The_border_of_one_radius_is_excluded_and_the_output_keeps_the_input_shape_and_geometry()
    {
        using var labels = new Volume<ushort>(9, 10, 11, new Core.Geometry.VoxelSize(0.5, 0.6, 0.7), (1, 2, 3));
        labels.Span.Fill(4);
        using var map = FloodFillPartitions.Compute(labels, new FloodFillPartitionOptions { LomRadius = (1, 2, 3), MinimumSize = 1 });
        Assert.Equal((9, 10, 11), (map.Volume.Depth, map.Volume.Height, map.Volume.Width));
        Assert.Equal(labels.VoxelSize, map.Volume.VoxelSize);
        Assert.Equal(labels.Origin, map.Volume.Origin);
        for (var z = 0; z < 9; z++)
        {
            for (var y = 0; y < 10; y++)
            {
                for (var x = 0; x < 11; x++)
                {
                    var inside = z is >= 1 and < 8 && y is >= 2 and < 8 && x is >= 3 and < 8;
                    // A box full of its own label: fraction 1, at or above the last threshold.
                    Assert.Equal(inside ? 13 : 255, map.Volume[z, y, x]);
                }
            }
        }

        Assert.Equal(7 * 6 * 5, map.Counts[13]);
        Assert.Equal(14, map.Counts.Count);
        Assert.Equal(0, map.ExcludedCount);
    }

    [Fact]
    public void Dust_and_background_are_partition_zero_and_a_volume_no_wider_than_a_box_is_all_excluded()
    {
        using var labels = new Volume<int>(5, 5, 5);
        labels.Span.Fill(-3);
        labels[2, 2, 2] = 9;
        labels[2, 2, 3] = 0;
        using var map = FloodFillPartitions.Compute(labels, new FloodFillPartitionOptions { LomRadius = (1, 1, 1), MinimumSize = 2 });
        Assert.Equal(0, map.Volume[2, 2, 2]);
        Assert.Equal(0, map.Volume[2, 2, 3]);
        Assert.Equal(2, map.Counts[0]);

        using var narrow = FloodFillPartitions.Compute(labels, new FloodFillPartitionOptions { LomRadius = (0, 2, 3), MinimumSize = 1 });
        Assert.All(narrow.Volume.Span.ToArray(), v => Assert.Equal(255, v));
        Assert.All(narrow.Counts, c => Assert.Equal(0, c));
    }

    [Fact]
    public void Progress_counts_the_labels_and_cancellation_stops_the_work()
    {
        using var labels = new Volume<byte>(12, 12, 12);
        for (var i = 0; i < labels.Length; i++)
        {
            labels.Span[i] = (byte)(1 + (i % 12 / 4));
        }

        var reports = new List<(int Done, int Total)>();
        using (FloodFillPartitions.Compute(labels, new FloodFillPartitionOptions { LomRadius = (2, 2, 2), MinimumSize = 1 }, progress: new SynchronousProgress<(int, int)>(reports)))
        {
            Assert.Equal(3, reports.Count);
            Assert.Equal([1, 2, 3], reports.Select(r => r.Done).Order());
            Assert.All(reports, r => Assert.Equal(3, r.Total));
        }

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => FloodFillPartitions.Compute(labels, new FloodFillPartitionOptions { LomRadius = (2, 2, 2), MinimumSize = 1 }, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void Bad_settings_and_a_mask_of_another_shape_are_refused()
    {
        using var labels = new Volume<ushort>(4, 4, 4);
        AssertBad(new FloodFillPartitionOptions { Thresholds = [] }, "Thresholds");
        AssertBad(new FloodFillPartitionOptions { Thresholds = [0.5, 0.2] }, "Thresholds");
        AssertBad(new FloodFillPartitionOptions { Thresholds = [0.0, 0.2] }, "Thresholds");
        AssertBad(new FloodFillPartitionOptions { Thresholds = [0.2, double.NaN] }, "Thresholds");
        AssertBad(new FloodFillPartitionOptions { Thresholds = Enumerable.Range(1, 254).Select(i => i / 254.0).ToArray() }, "Thresholds");
        AssertBad(new FloodFillPartitionOptions { LomRadius = (1, -1, 1) }, "LomRadius");
        AssertBad(new FloodFillPartitionOptions { MinimumSize = -1 }, "MinimumSize");
        new FloodFillPartitionOptions { Thresholds = Enumerable.Range(1, 253).Select(i => i / 253.0).ToArray() }.Validate();

        using var mask = new Volume<bool>(4, 4, 5);
        var error = Assert.Throws<ArgumentException>(() => FloodFillPartitions.Compute(labels, exclusionMask: mask));
        Assert.Equal("exclusionMask", error.ParamName);

        void AssertBad(FloodFillPartitionOptions options, string name) =>
            Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => FloodFillPartitions.Compute(labels, options)).ParamName);
    }
}
