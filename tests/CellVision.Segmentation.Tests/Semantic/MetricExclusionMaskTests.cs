using CellVision.Core.Volumes;
using CellVision.IO.Zarr;

namespace CellVision.Segmentation.Tests.Semantic;

/// <summary>Band geometry on hand-checked cases, and the arguments the metric mask refuses.</summary>
public sealed class MetricExclusionMaskTests
{
    [Fact]
    public void A_single_voxel_excludes_itself_and_the_taxicab_ball_around_it()
    {
        using var labels = new Volume<byte>(11, 11, 11);
        labels[5, 5, 5] = 1;
        using var mask = MetricExclusionMask.Compute(labels, new MetricExclusionMaskOptions { InnerWidth = 1, OuterWidth = 3 });
        for (var z = 0; z < 11; z++)
        {
            for (var y = 0; y < 11; y++)
            {
                for (var x = 0; x < 11; x++)
                {
                    var excluded = Math.Abs(z - 5) + Math.Abs(y - 5) + Math.Abs(x - 5) <= 3;
                    Assert.Equal(excluded ? MetricExclusionMask.Excluded : MetricExclusionMask.Counted, mask[z, y, x]);
                }
            }
        }
    }

    [Fact]
    public void The_outside_of_the_volume_erodes_an_object_that_fills_it()
    {
        using var labels = new Volume<uint>(7, 7, 7);
        labels.Span.Fill(9);
        using var mask = MetricExclusionMask.Compute(labels, new MetricExclusionMaskOptions { InnerWidth = 2, OuterWidth = 1, ClassId = 9 });
        Assert.Equal(MetricExclusionMask.Excluded, mask[1, 3, 3]);
        Assert.Equal(MetricExclusionMask.Counted, mask[2, 3, 3]);
        Assert.Equal(MetricExclusionMask.Excluded, mask[3, 3, 6]);
        Assert.Equal(27, mask.Span.ToArray().Count(v => v == MetricExclusionMask.Counted));
    }

    [Fact]
    public void A_class_id_the_label_type_cannot_hold_selects_nothing()
    {
        using var labels = new Volume<byte>(3, 3, 3);
        labels.Span.Fill(44);
        using var mask = MetricExclusionMask.Compute(labels, new MetricExclusionMaskOptions { ClassId = 300 });
        Assert.All(mask.Span.ToArray(), v => Assert.Equal(MetricExclusionMask.Counted, v));
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(4, 0)]
    [InlineData(-1, 4)]
    [InlineData(4, 255)]
    public void Widths_outside_one_to_254_are_refused(int inner, int outer)
    {
        using var labels = new Volume<byte>(2, 2, 2);
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => MetricExclusionMask.Compute(labels, new MetricExclusionMaskOptions { InnerWidth = inner, OuterWidth = outer }));
        Assert.Contains(inner is < 1 or > 254 ? "inner width" : "outer width", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_block_wise_output_must_be_bytes_of_the_labels_shape()
    {
        var folder = Directory.CreateTempSubdirectory("cellvision-metric-mask-args-").FullName;
        try
        {
            var labels = ZarrArray.Create<byte>(Path.Combine(folder, "l.zarr"), [4, 5, 6], [4, 5, 6]);
            var wide = ZarrArray.Create<ushort>(Path.Combine(folder, "w.zarr"), [4, 5, 6], [4, 5, 6]);
            var small = ZarrArray.Create<byte>(Path.Combine(folder, "s.zarr"), [4, 5, 5], [4, 5, 5]);
            Assert.Contains("uint8 array", Assert.Throws<ArgumentException>(() => MetricExclusionMask.ComputeChunked<byte>(labels, wide)).Message, StringComparison.Ordinal);
            Assert.Contains("[4, 5, 5]", Assert.Throws<ArgumentException>(() => MetricExclusionMask.ComputeChunked<byte>(labels, small)).Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
