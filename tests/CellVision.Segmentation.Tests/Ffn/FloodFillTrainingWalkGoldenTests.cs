using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using CellVision.Core.Volumes;
using CellVision.Segmentation;
using CellVision.Segmentation.Tests.FloodFill;

namespace CellVision.Segmentation.Tests.Ffn;

/// <summary>
/// The <c>max_pred_moves</c> training walk against a NumPy transcription of the reference's (Golden/ffn_training_walk_golden.py),
/// driven by the deterministic stand-in network: the offsets visited in order, the seed after every write-back, and
/// the training-time counts of the central crop, on patches whose centre lies inside, beside and outside objects.
/// </summary>
public sealed class FloodFillTrainingWalkGoldenTests : IDisposable
{
    private readonly TemporaryFolder folder = new();
    private readonly JsonNode manifest;

    public FloodFillTrainingWalkGoldenTests()
    {
        PythonReference.Run("Golden/ffn_training_walk_golden.py", folder.Path);
        manifest = JsonNode.Parse(File.ReadAllText(folder["manifest.json"]))!;
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void The_max_prediction_walk_visits_and_writes_back_as_the_transcription()
    {
        var shape = Triple(manifest["shape"]!);
        var patch = Triple(manifest["patch"]!);
        var evaluation = Triple(manifest["evaluation"]!);
        var raw = File.ReadAllBytes(folder["volume.raw"]);
        var ids = MemoryMarshal.Cast<byte, uint>(File.ReadAllBytes(folder["labels.bin"])).ToArray();
        using var image = new Volume<float>(shape.Z, shape.Y, shape.X);
        using var labels = new Volume<uint>(shape.Z, shape.Y, shape.X);
        for (var i = 0; i < raw.Length; i++)
        {
            image.Span[i] = raw[i];
            labels.Span[i] = ids[i];
        }

        var network = FloodFillGoldenFixture.Network(manifest["network"]!);
        var window = network.FieldOfView.Z * network.FieldOfView.Y * network.FieldOfView.X;
        var (imageWindow, seedWindow, targetWindow, logits) = (new float[window], new float[window], new float[window], new float[window]);
        var walkedObjects = 0;
        foreach (var node in manifest["cases"]!.AsArray())
        {
            var threshold = node!["threshold"]!.GetValue<double>();
            var example = new FloodFillExample(patch, network.FieldOfView, network.Deltas, FloodFillInferenceOptions.Logit64(threshold));
            example.Load(new FloodFillTrainingVolume(image, labels), Triple(node["centre"]!), false, false, false, false,
                manifest["mean"]!.GetValue<float>(), manifest["stddev"]!.GetValue<float>(), FloodFillTrainer.Logit(node["pad"]!.GetValue<double>()), FloodFillTrainer.Logit(node["activation"]!.GetValue<double>()));
            var moveThreshold = (float)FloodFillInferenceOptions.Logit64(threshold);
            var visited = new List<(int Z, int Y, int X)>();
            while (example.MoveNext([], moveThreshold))
            {
                visited.Add(example.Offset);
                example.CopyWindow(imageWindow, seedWindow, targetWindow);
                network.Predict(imageWindow, seedWindow, logits, 1);
                example.WriteBack(logits);
            }

            var name = node["name"]!.GetValue<string>();
            Assert.Equal(node["visited"]!.AsArray().Select(v => Triple(v!)), visited);
            Assert.Equal(MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(folder[name + ".seed"])).ToArray(), example.Seed);
            var counts = node["counts"]!.AsArray().Select(c => c!.GetValue<long>()).ToArray();
            Assert.Equal((counts[0], counts[1], counts[2], counts[3]), example.Score(moveThreshold, evaluation));
            walkedObjects += visited.Count > 1 ? 1 : 0;
        }

        Assert.True(walkedObjects >= 5, "Too few cases leave the centre.");
    }

    private static (int Z, int Y, int X) Triple(JsonNode node)
    {
        var values = node.AsArray().Select(n => n!.GetValue<int>()).ToArray();
        return (values[0], values[1], values[2]);
    }
}
