using CellVision.IO.Zarr;

namespace CellVision.Segmentation.Tests.Semantic;

/// <summary>
/// Reading a dataset's region of interest from a Zarr container placed by funlib's offset attribute: raw voxels, the
/// merged classes (overlaps become background), the binarised mask and the AND of the metric masks; and the errors
/// that name the dataset and the field when an array is missing or does not fit.
/// </summary>
public sealed class SemanticDataLoaderTests : IDisposable
{
    // Arrays of 6×8×10 voxels whose first voxel lies at world voxel (2, 0, 1); the region starts at world (3, 1, 2).
    private static readonly long[] ArrayShape = [6, 8, 10];
    private readonly string data = Directory.CreateTempSubdirectory("cellvision-semantic-data-").FullName;
    private readonly Random random = new(3);

    public SemanticDataLoaderTests()
    {
        var container = Path.Combine(data, "cells", "c.zarr");
        Create<byte>(container, "volumes/raw", 256);
        Create<uint>(container, "volumes/labels/mito", 2);
        Create<byte>(container, "volumes/labels/er", 2);
        Create<byte>(container, "volumes/mask", 3);
        Create<byte>(container, "volumes/metric/a", 2);
        Create<ushort>(container, "volumes/metric/b", 2);
        Create<ushort>(container, "volumes/raw16", 1000);
    }

    public void Dispose() => Directory.Delete(data, recursive: true);

    [Fact]
    public void The_region_is_read_merged_and_binarised_as_incasem_does()
    {
        var configuration = SemanticDataConfiguration.Parse(Config(), "c.json");
        SemanticDataLoader.Check(configuration, Open, data);
        using var volumes = SemanticDataLoader.Load(configuration, configuration.Datasets[0], Open, data);
        var raw = Crop<byte>("volumes/raw");
        var mito = Crop<uint>("volumes/labels/mito");
        var er = Crop<byte>("volumes/labels/er");
        var mask = Crop<byte>("volumes/mask");
        var a = Crop<byte>("volumes/metric/a");
        var b = Crop<ushort>("volumes/metric/b");
        Assert.Equal((2, 4, 5), (volumes.Raw.Depth, volumes.Raw.Height, volumes.Raw.Width));
        Assert.Equal(raw, volumes.Raw.Span.ToArray());
        var overlaps = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var classes = (mito[i] > 0 ? 1 : 0) + (er[i] > 0 ? 1 : 0);
            overlaps += classes == 2 ? 1 : 0;
            var expected = classes == 1 ? (mito[i] > 0 ? 1 : 2) : 0;
            Assert.Equal(expected, volumes.Labels.Span[i]);
            Assert.Equal(mask[i] > 0 ? 1 : 0, volumes.Mask.Span[i]);
            Assert.Equal(a[i] > 0 && b[i] > 0 ? 1 : 0, volumes.MetricMask.Span[i]);
        }

        Assert.InRange(overlaps, 1, raw.Length - 1);
        Assert.Equal((0.005, 0.005, 0.005), (volumes.Raw.VoxelSize.X, volumes.Raw.VoxelSize.Y, volumes.Raw.VoxelSize.Z));
    }

    [Fact]
    public void Training_reads_raw_with_context_where_the_array_has_it()
    {
        var configuration = SemanticDataConfiguration.Parse(Config(), "c.json");
        var volume = SemanticDataLoader.LoadForTraining(configuration, configuration.Datasets[0], Open, (2, 2, 2), data);
        try
        {
            // The region sits at array voxel (1, 1, 1) + (2, 4, 5) in a 6×8×10 array: two more voxels per side fit
            // except below Z, Y and X, where only one does.
            Assert.Equal((1, 1, 1), volume.RawOffset);
            Assert.Equal((5, 7, 8), (volume.Raw.Depth, volume.Raw.Height, volume.Raw.Width));
            Assert.Equal(ZarrArray.Open(Path.Combine(data, "cells", "c.zarr", "volumes/raw")).Read<byte>(Core.Volumes.Box.FromZyx(0, 0, 0, 5, 7, 8)), volume.Raw.Span.ToArray());
            Assert.Equal((2, 4, 5), (volume.Labels.Depth, volume.Labels.Height, volume.Labels.Width));
            volume.Validate("d");
        }
        finally
        {
            volume.Raw.Dispose();
            volume.Labels.Dispose();
            volume.Mask?.Dispose();
            volume.MetricMask?.Dispose();
        }
    }

    [Fact]
    public void Absent_labels_and_masks_give_background_and_all_ones()
    {
        var configuration = SemanticDataConfiguration.Parse("""{"d": {"file": "cells/c.zarr", "offset": [2, 0, 1], "shape": [6, 8, 10], "voxel_size": [5, 5, 5], "raw": "volumes/raw"}}""", "c.json");
        using var volumes = SemanticDataLoader.Load(configuration, configuration.Datasets[0], Open, data);
        Assert.All(volumes.Labels.Span.ToArray(), v => Assert.Equal(0, v));
        Assert.All(volumes.Mask.Span.ToArray(), v => Assert.Equal(1, v));
        Assert.All(volumes.MetricMask.Span.ToArray(), v => Assert.Equal(1, v));
    }

    [Theory]
    [InlineData("cells/none.zarr", "volumes/raw", "[3, 1, 2]", "[2, 4, 5]", "[5, 5, 5]", "raw", "none.zarr")]
    [InlineData("cells/c.zarr", "volumes/raw", "[3, 1, 2]", "[2, 4, 5]", "[5, 5, 5]", "labels", "volumes/labels/missing")]
    [InlineData("cells/c.zarr", "volumes/raw", "[1, 1, 2]", "[2, 4, 5]", "[5, 5, 5]", "offset", "reaches outside")]
    [InlineData("cells/c.zarr", "volumes/raw", "[3, 1, 2]", "[2, 4, 10]", "[5, 5, 5]", "offset", "reaches outside")]
    [InlineData("cells/c.zarr", "volumes/raw", "[3, 1, 2]", "[2, 4, 5]", "[4, 4, 4]", "raw", "resolution is [5, 5, 5] nm")]
    [InlineData("cells/c.zarr", "volumes/raw16", "[3, 1, 2]", "[2, 4, 5]", "[5, 5, 5]", "raw", "must be uint8")]
    public void Arrays_that_are_missing_or_do_not_fit_are_named(string file, string raw, string offset, string shape, string voxelSize, string field, string detail)
    {
        var labels = field == "labels" ? """, "labels": {"volumes/labels/missing": 1}""" : string.Empty;
        var configuration = SemanticDataConfiguration.Parse($$"""{"d": {"file": "{{file}}", "offset": {{offset}}, "shape": {{shape}}, "voxel_size": {{voxelSize}}, "raw": "{{raw}}" """ + labels + "}}", "c.json");
        var exception = Assert.Throws<SemanticDataConfigurationException>(() => SemanticDataLoader.Load(configuration, configuration.Datasets[0], Open, data));
        Assert.Equal("d", exception.Dataset);
        Assert.Equal(field, exception.Field);
        Assert.Contains(detail, exception.Message, StringComparison.Ordinal);
        if (field != "raw" || raw != "volumes/raw16")
        {
            Assert.Equal(field, Assert.Throws<SemanticDataConfigurationException>(() => SemanticDataLoader.Check(configuration, Open, data)).Field);
        }
    }

    private static string Config() => """
        {"d": {"file": "cells/c.zarr", "offset": [3, 1, 2], "shape": [2, 4, 5], "voxel_size": [5, 5, 5], "raw": "volumes/raw",
               "labels": {"volumes/labels/mito": 1, "volumes/labels/er": 2}, "mask": "volumes/mask",
               "metric_masks": ["volumes/metric/a", "volumes/metric/b"]}}
        """;

    private static SemanticSourceArray Open(string container, string path)
    {
        var array = ZarrArray.Open(Path.Combine(container, path));
        var attributes = FunlibAttributes.Read(array);
        return new SemanticSourceArray(array, attributes?.Resolution, attributes?.Offset);
    }

    private void Create<T>(string container, string path, int values)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        var array = ZarrArray.Create<T>(Path.Combine(container, path), ArrayShape, [4, 4, 4]);
        var voxels = new T[ArrayShape[0] * ArrayShape[1] * ArrayShape[2]];
        for (var i = 0; i < voxels.Length; i++)
        {
            voxels[i] = T.CreateTruncating(random.Next(values));
        }

        array.Write<T>(array.Bounds, voxels);
        new FunlibAttributes([5, 5, 5], [10, 0, 5]).WriteTo(array);
    }

    /// <summary>The region (world voxels [3, 1, 2] + [2, 4, 5]) in the array's own grid, which starts at world voxel [2, 0, 1].</summary>
    private T[] Crop<T>(string path)
        where T : unmanaged => ZarrArray.Open(Path.Combine(data, "cells", "c.zarr", path)).Read<T>(Core.Volumes.Box.FromZyx(1, 1, 1, 2, 4, 5));
}
