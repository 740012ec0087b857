using CellVision.Torch;
using CellVision.Torch.Serialization;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>Small random cell graphs for the GNN model's tests, and their files for the Python transcription.</summary>
internal static class GnnModelGraphs
{
    internal const string Script = "Golden/Gnn/gnn_model_reference.py";

    /// <summary>
    /// Frames of 4, 5 and 3 cells with every edge from one frame to the next, one cell of the middle frame without any
    /// edge, hand-crafted features in [−1, 1] (one node all zero), unit embeddings, and one positive edge per source.
    /// </summary>
    internal static CellTrackGnnGraph Create(int seed, int handcrafted, bool embedding, ScalarType type = ScalarType.Float32)
    {
        var random = new Random(seed);
        int[] frames = [4, 5, 3];
        var nodes = frames.Sum();
        var hand = new float[nodes * handcrafted];
        for (var i = 0; i < hand.Length; i++)
        {
            hand[i] = (float)((random.NextDouble() * 2) - 1);
        }

        Array.Clear(hand, 2 * handcrafted, handcrafted);   // a node of zeros: cosines take the eps branch
        var embed = new float[nodes * 128];
        for (var n = 0; n < nodes; n++)
        {
            var norm = 0.0;
            for (var k = 0; k < 128; k++)
            {
                var v = (random.NextDouble() * 2) - 1;
                embed[(n * 128) + k] = (float)v;
                norm += v * v;
            }

            for (var k = 0; k < 128; k++)
            {
                embed[(n * 128) + k] /= (float)Math.Sqrt(norm);
            }
        }

        var sources = new List<long>();
        var targets = new List<long>();
        var labels = new List<float>();
        var isolated = frames[0] + 2;
        for (int f = 0, start = 0; f < frames.Length - 1; start += frames[f], f++)
        {
            var next = start + frames[f];
            for (var s = start; s < next; s++)
            {
                var positive = random.Next(frames[f + 1]);
                for (var t = 0; t < frames[f + 1]; t++)
                {
                    if (s == isolated || next + t == isolated)
                    {
                        continue;
                    }

                    sources.Add(s);
                    targets.Add(next + t);
                    labels.Add(t == positive ? 1 : 0);
                }
            }
        }

        using var scope = DisposeScope.Enter();
        var graph = new CellTrackGnnGraph(
            Tensor.FromSpan<float>(hand, [nodes, handcrafted]).To(type),
            embedding ? Tensor.FromSpan<float>(embed, [nodes, 128]).To(type) : null,
            Tensor.FromSpan<long>([.. sources, .. targets], [2, sources.Count]),
            Tensor.FromSpan<float>(labels.ToArray(), [labels.Count]).To(type));
        scope.MoveToOuter(graph.Handcrafted, graph.EdgeIndex, graph.Labels!);
        if (graph.Embedding is not null)
        {
            scope.MoveToOuter(graph.Embedding);
        }

        return graph;
    }

    internal static void Save(CellTrackGnnGraph graph, string path)
    {
        var entries = new Dictionary<string, object?>
        {
            ["x1"] = graph.Handcrafted,
            ["edge_index"] = graph.EdgeIndex,
            ["labels"] = graph.Labels,
        };
        if (graph.Embedding is not null)
        {
            entries["x2"] = graph.Embedding;
        }

        PthFile.Save(path, entries);
    }

    /// <summary>
    /// Asserts that no element differs by more than <paramref name="tolerance"/> times the larger of 1 and the expected
    /// tensor's largest magnitude; returns the largest difference divided by that scale.
    /// </summary>
    internal static double AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.ScalarType, actual.ScalarType);
        var e = expected.To(ScalarType.Float64).ToArray<double>();
        var a = actual.To(ScalarType.Float64).ToArray<double>();
        var scale = Math.Max(1, e.Max(Math.Abs));
        var worst = 0.0;
        for (var i = 0; i < e.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(e[i] - a[i]) / scale);
        }

        Assert.True(worst <= tolerance, $"{what}: largest difference {worst * scale:G3} > {tolerance:G3} × {scale:G3}");
        return worst;
    }
}
