using System.Globalization;
using CellVision.Networks;
using CellVision.Torch;
using CellVision.Torch.Serialization;
using CellVision.Tracking;
using Xunit.Abstractions;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>
/// MAP@R equals a NumPy transcription of pytorch-metric-learning's, and <c>all_params.pth</c> moves both ways between
/// CellVision and Python (Golden/Gnn/dml_reference.py): keys, value types, patch settings and the embedding.
/// </summary>
public sealed class DmlGoldenTests(ITestOutputHelper output)
{
    private const string Script = "Golden/Gnn/dml_reference.py";

    [Fact]
    public void Map_at_r_equals_the_NumPy_transcription()
    {
        var random = new Random(11);
        // Classes of 1 (left out), 2, 3, 5 and 7 members; embeddings near class centres plus noise.
        int[] sizes = [1, 2, 3, 5, 7, 4];
        var labels = sizes.SelectMany((size, c) => Enumerable.Repeat((long)(c * 3) + 1, size)).ToArray();
        var centres = Enumerable.Range(0, sizes.Length).Select(_ => Enumerable.Range(0, 8).Select(_ => random.NextDouble() - 0.5).ToArray()).ToArray();
        var embeddings = labels.SelectMany(l => centres[(l - 1) / 3].Select(v => (float)(v + ((random.NextDouble() - 0.5) * 0.9)))).ToArray();
        using var folder = new TemporaryFolder();
        using (var e = Tensor.FromSpan<float>(embeddings, [labels.Length, 8]))
        using (var l = Tensor.FromArray(labels))
        {
            PthFile.Save(folder["mapr.pth"], new Dictionary<string, object?> { ["embedding"] = e, ["labels"] = l });
        }

        var expected = double.Parse(PythonReference.Run(Script, "mapr", folder["mapr.pth"]).Trim(), CultureInfo.InvariantCulture);
        var actual = MeanAveragePrecisionAtR.Compute(embeddings, 8, labels);
        output.WriteLine($"MAP@R {actual:G10}, NumPy {expected:G10}");
        Assert.InRange(expected, 0.2, 0.95); // neither trivial nor perfect
        Assert.Equal(expected, actual, 12);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void All_params_written_here_loads_in_Python_with_the_reference_keys_and_the_same_embedding(int dimensions)
    {
        using var folder = new TemporaryFolder();
        using var model = new CellEmbeddingModel(new CellEmbeddingNetwork(dimensions), [1.5, 2], [200, 300.25], (6, 12, 10));
        model.Save(folder[CellEmbeddingModel.ReferenceFileName]);
        var lines = PythonReference.Run(Script, "params_read", folder[CellEmbeddingModel.ReferenceFileName], folder["check.pth"]).Split('\n');
        Assert.Equal("min_cell,max_cell,pad_value,roi,model_name,mlp_dims,mlp_normalized_features,trunk_state_dict,embedder_state_dict", lines[0]);
        Assert.Contains("min_cell:list max_cell:list pad_value:int roi:dict model_name:str mlp_dims:list mlp_normalized_features:bool", lines[1], StringComparison.Ordinal);
        var roi = dimensions == 3 ? "{'row': 12, 'col': 10, 'depth': 6}" : "{'row': 12, 'col': 10}";
        Assert.Equal($"[1.5, 2.0] [200.0, 300.25] 0 {roi} {model.ModelName} [512, 128] True", lines[2]);
        AssertSameEmbedding(model, folder["check.pth"]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void All_params_written_by_Python_loads_here(int dimensions)
    {
        using var folder = new TemporaryFolder();
        var path = folder[CellEmbeddingModel.ReferenceFileName];
        PythonReference.Run(Script, "params_write", "9", $"{dimensions}", path);
        using var model = CellEmbeddingModel.Load(path);
        Assert.Equal(dimensions, model.SpatialDimensions);
        Assert.Equal([3.0, 5.5], model.MinCell);
        Assert.Equal([250.0, 300.25], model.MaxCell);
        Assert.Equal(dimensions == 3 ? (6, 12, 10) : (1, 12, 10), model.Roi);
        Assert.Equal(dimensions == 3 ? "resnet18_3d" : "resnet18", model.ModelName);
        AssertSameEmbedding(model, path + ".check");

        // Saved again here, the file loads again with the same settings.
        model.Save(folder["again.pth"]);
        using var again = CellEmbeddingModel.Load(folder["again.pth"]);
        Assert.Equal(model.MinCell, again.MinCell);
        Assert.Equal(model.MaxCell, again.MaxCell);
        Assert.Equal(model.Roi, again.Roi);
    }

    [Fact]
    public void A_file_without_the_reference_keys_is_refused_by_name()
    {
        using var folder = new TemporaryFolder();
        PthFile.Save(folder["other.pth"], new Dictionary<string, object?> { ["min_cell"] = new List<object?> { 1.0 } });
        var error = Assert.Throws<PthFormatException>(() => CellEmbeddingModel.Load(folder["other.pth"]));
        Assert.Contains("trunk_state_dict", error.Message, StringComparison.Ordinal);
    }

    private void AssertSameEmbedding(CellEmbeddingModel model, string checkPath)
    {
        var check = (IReadOnlyDictionary<string, object?>)PthFile.Load(checkPath)!;
        using var input = (Tensor)check["input"]!;
        using var expected = (Tensor)check["embedding"]!;
        model.Network.Eval();
        using var noGrad = GradientMode.NoGrad();
        using var actual = model.Network.Forward(input);
        var worst = GnnModelGraphs.AssertClose(expected, actual, 1e-5, "embedding");
        output.WriteLine($"largest relative difference {worst:G3}");
    }
}
