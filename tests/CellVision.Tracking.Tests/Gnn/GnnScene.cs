using System.Text.Json;
using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>Builds small tracking graphs by hand: cells in frame order, candidate edges with probabilities.</summary>
internal sealed class GnnScene
{
    private readonly List<CellNode> nodes = [];
    private readonly List<CandidateEdge> edges = [];
    private readonly List<double> probabilities = [];

    public int Count => nodes.Count;

    public IReadOnlyList<CellNode> Nodes => nodes;

    /// <summary>Adds a cell (in frame order) and returns its node index.</summary>
    public int Cell(int frame, int row, int column, int depth = 0)
    {
        nodes.Add(new CellNode(frame, nodes.Count(n => n.Frame == frame) + 1, depth, row, column));
        return nodes.Count - 1;
    }

    public GnnScene Edge(int source, int target, double probability)
    {
        edges.Add(new CandidateEdge(source, target));
        probabilities.Add(probability);
        return this;
    }

    public EdgeScores Scores() => new(nodes, edges, probabilities);

    /// <summary>The reference post-processing as the committed NumPy transcription computes it.</summary>
    public static (int[][] Tracks, int[] NodeLabels) Python(EdgeScores scores)
    {
        using var folder = new TemporaryFolder();
        var input = folder["scene.json"];
        File.WriteAllText(input, JsonSerializer.Serialize(new
        {
            frames = scores.Nodes.Select(n => n.Frame),
            centroids = scores.Nodes.Select(n => new[] { n.Depth, n.Row, n.Column }),
            edges = scores.Edges.Select(e => new[] { e.Source, e.Target }),
            probs = scores.Probabilities,
        }));
        using var output = JsonDocument.Parse(PythonReference.Run("Golden/Gnn/reference_decoder.py", input));
        var tracks = output.RootElement.GetProperty("tracks").EnumerateArray()
            .Select(t => t.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        var labels = output.RootElement.GetProperty("node_labels").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        return (tracks, labels);
    }
}
