namespace CellVision.Segmentation.Tests.Semantic;

/// <summary>Parsing incasem's data-configuration JSON and the errors that name the dataset and the field.</summary>
public sealed class SemanticDataConfigurationTests
{
    private const string Example = """
        {
          "cell_6": {
            "file": "cell_6/cell_6.zarr", "offset": [400, 926, 2512], "shape": [300, 300, 300], "voxel_size": [5, 5, 5],
            "raw": "volumes/raw_equalized_0.02",
            "labels": { "volumes/labels/er": 2, "volumes/labels/mito": 1 },
            "mask": "volumes/mask",
            "metric_masks": [ "volumes/metric_masks/mito", "volumes/metric_masks/er" ]
          },
          "cell_1": { "file": "/data/cell_1.zarr", "offset": [0, 0, 0], "shape": [10, 20, 30], "voxel_size": [5, 5, 5], "raw": "volumes/raw" }
        }
        """;

    [Fact]
    public void Every_field_is_read_in_the_documents_order()
    {
        var configuration = SemanticDataConfiguration.Parse(Example, "train.json");
        Assert.Equal(["cell_6", "cell_1"], configuration.Datasets.Select(d => d.Name));
        var cell = configuration.Datasets[0];
        Assert.Equal("cell_6/cell_6.zarr", cell.File);
        Assert.Equal([400L, 926, 2512], cell.Offset.ToArray());
        Assert.Equal([300L, 300, 300], cell.Shape.ToArray());
        Assert.Equal([5.0, 5, 5], configuration.VoxelSize.ToArray());
        Assert.Equal([2000.0, 4630, 12560], cell.WorldOffset.ToArray());
        Assert.Equal("volumes/raw_equalized_0.02", cell.Raw);
        Assert.Equal([new SemanticLabelDataset("volumes/labels/er", 2), new SemanticLabelDataset("volumes/labels/mito", 1)], cell.Labels.ToArray());
        Assert.Equal("volumes/mask", cell.Mask);
        Assert.Equal(["volumes/metric_masks/mito", "volumes/metric_masks/er"], cell.MetricMasks.ToArray());
        Assert.Equal(2, configuration.ClassCount);

        var plain = configuration.Datasets[1];
        Assert.Empty(plain.Labels);
        Assert.Null(plain.Mask);
        Assert.Empty(plain.MetricMasks);
        Assert.Equal(Path.GetFullPath("/work/x/cell_6/cell_6.zarr"), SemanticDataConfiguration.ResolveFile(cell, "/work/x"));
        Assert.Equal("/data/cell_1.zarr", SemanticDataConfiguration.ResolveFile(plain, "/work/x"));
    }

    [Theory]
    [InlineData("""{"a": {"file": "f", "offset": [0,0,0], "shape": [1,1,1], "voxel_size": [5,5,5], "raw": "r"}, "b": {"file": "f", "offset": [0,0,0], "shape": [1,1,1], "voxel_size": [4,4,4], "raw": "r"}}""", "b", "voxel_size", "dataset 'a' has [5, 5, 5]")]
    [InlineData("""{"a": {"file": "f", "offset": [0,0,0], "shape": [1,1,1], "voxel_size": [5,5,5], "raw": "r", "labels": {"x": 1, "y": 3}}}""", "a", "labels", "[1, 3]")]
    [InlineData("""{"a": {"file": "f", "offset": [0,0,0], "shape": [1,1,1], "voxel_size": [5,5,5], "raw": "r", "labels": {"x": 1, "y": 1}}}""", "a", "labels", "exactly 1 … 2")]
    [InlineData("""{"a": {"file": "f", "offset": [0,0,0], "shape": [1,0,1], "voxel_size": [5,5,5], "raw": "r"}}""", "a", "shape", "positive integer extents")]
    [InlineData("""{"a": {"file": "f", "offset": [0,0,0], "shape": [1,1,1], "voxel_size": [5,-5,5], "raw": "r"}}""", "a", "voxel_size", "positive voxel sizes")]
    [InlineData("""{"a": {"file": "f", "offset": [0,0.5,0], "shape": [1,1,1], "voxel_size": [5,5,5], "raw": "r"}}""", "a", "offset", "integer voxel offsets")]
    [InlineData("""{"a": {"file": "f", "offset": [0,0], "shape": [1,1,1], "voxel_size": [5,5,5], "raw": "r"}}""", "a", "offset", "[0,0]")]
    [InlineData("""{"a": {"offset": [0,0,0], "shape": [1,1,1], "voxel_size": [5,5,5], "raw": "r"}}""", "a", "file", "is missing")]
    [InlineData("""{"a": {"file": "f", "offset": [0,0,0], "shape": [1,1,1], "voxel_size": [5,5,5], "raw": ""}}""", "a", "raw", "non-empty string")]
    [InlineData("""{"a": {"file": "f", "offset": [0,0,0], "shape": [1,1,1], "voxel_size": [5,5,5], "raw": "r", "metric_masks": "m"}}""", "a", "metric_masks", "list of array paths")]
    public void Invalid_fields_are_named_with_their_dataset(string json, string dataset, string field, string detail)
    {
        var exception = Assert.Throws<SemanticDataConfigurationException>(() => SemanticDataConfiguration.Parse(json, "bad.json"));
        Assert.Equal("bad.json", exception.Source);
        Assert.Equal(dataset, exception.Dataset);
        Assert.Equal(field, exception.Field);
        Assert.Contains(detail, exception.Message, StringComparison.Ordinal);
        Assert.StartsWith($"bad.json: dataset '{dataset}', field '{field}': ", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[1, 2]")]
    [InlineData("{ \"a\": ")]
    public void A_document_that_is_not_an_object_of_datasets_is_refused(string json)
    {
        var exception = Assert.Throws<SemanticDataConfigurationException>(() => SemanticDataConfiguration.Parse(json, "c.json"));
        Assert.Null(exception.Dataset);
        Assert.StartsWith("c.json: ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json");
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => SemanticDataConfiguration.Load(path)).Message, StringComparison.Ordinal);
    }
}
