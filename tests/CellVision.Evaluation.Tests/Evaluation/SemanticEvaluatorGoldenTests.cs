using System.Text.Json.Nodes;
using CellVision.Core.Volumes;

namespace CellVision.Evaluation.Tests.Evaluation;

/// <summary>
/// Scores equal those of incasem's evaluation written with scipy.spatial.distance.dice and jaccard
/// (Golden/semantic_scores_golden.py) on em-drosophila-vnc-sstem labels with synthetic probabilities, a mask and a
/// metric mask, a border crop and a threshold sweep that includes probabilities a float32 step either side of it.
/// </summary>
public sealed class SemanticEvaluatorGoldenTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-semantic-scores-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Counts_and_scores_match_scipy_at_every_threshold()
    {
        double[] thresholds = [0.5, 0.3, 0.7, 0.1];
        PythonReference.Run("Golden/semantic_scores_golden.py", folder, SharedData.PathOf("em-drosophila-vnc-sstem", "labels_classes_zyx_uint8.tif"), "2", string.Join(',', thresholds.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")))!;
        var shape = expected["shape"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
        using var probabilities = Read<float>("probabilities.f32", shape);
        using var labels = Read<byte>("labels.u8", shape);
        using var mask = Read<byte>("mask.u8", shape);
        using var metric = Read<byte>("metric.u8", shape);
        var options = new SemanticEvaluationOptions { Thresholds = thresholds, Border = 2 };
        var cases = expected["cases"]!.AsArray();
        foreach (var classId in new[] { 1, 3 })
        {
            var scores = SemanticEvaluator.Evaluate(probabilities, labels, classId, mask, metric, options);
            Assert.Equal(thresholds.Length, scores.Count);
            Assert.True(scores[0].TruePositives > 0 && scores[0].FalsePositives > 0);
            foreach (var score in scores)
            {
                var reference = cases.Single(c => c!["class"]!.GetValue<int>() == classId && c["threshold"]!.GetValue<double>() == score.Threshold)!;
                Assert.Equal(reference["voxels"]!.GetValue<long>(), score.Voxels);
                Assert.Equal(reference["tp"]!.GetValue<long>(), score.TruePositives);
                Assert.Equal(reference["fp"]!.GetValue<long>(), score.FalsePositives);
                Assert.Equal(reference["fn"]!.GetValue<long>(), score.FalseNegatives);
                Assert.Equal(reference["f1"]?.GetValue<double>() ?? double.NaN, score.F1, 12);
                Assert.Equal(reference["jaccard"]!.GetValue<double>(), score.Jaccard, 12);
                Assert.Equal(reference["precision"]!.GetValue<double>(), score.Precision, 12);
                Assert.Equal(reference["recall"]!.GetValue<double>(), score.Recall, 12);
            }
        }
    }

    private Volume<T> Read<T>(string name, int[] shape)
        where T : unmanaged
    {
        var volume = new Volume<T>(shape[0], shape[1], shape[2]);
        File.ReadAllBytes(Path.Combine(folder, name)).CopyTo(volume.Bytes);
        return volume;
    }
}
