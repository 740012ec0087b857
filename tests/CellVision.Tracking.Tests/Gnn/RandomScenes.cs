using CellVision.Tracking;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>
/// Random movies of 2-D or 3-D cells that move, divide, enter and leave, with candidate edges from the reference's
/// box gate and noisy edge probabilities: true links mostly high, others mostly low, some of each on the wrong side.
/// </summary>
internal static class RandomScenes
{
    /// <param name="seed">The random seed.</param>
    /// <param name="frames">The number of frames.</param>
    /// <param name="cells">Cells in the first frame.</param>
    /// <param name="divisionsAsEdges">Whether mother → daughter edges score high (else low, as the reference trains them).</param>
    /// <param name="noise">The share of edges whose probability lands on the wrong side of 0.5.</param>
    /// <param name="threeD">Whether cells have a depth coordinate.</param>
    public static EdgeScores Movie(int seed, int frames, int cells, bool divisionsAsEdges = true, double noise = 0.05, bool threeD = false)
    {
        var random = new Random(seed);
        const int size = 400, gate = 30;
        var scene = new GnnScene();
        var truth = new Dictionary<(int, int), bool>(); // (source, target) → is a true link
        var current = new List<(int Node, double Z, double Y, double X)>();
        for (var i = 0; i < cells; i++)
        {
            current.Add((-1, threeD ? random.Next(0, 40) : 0, random.Next(10, size - 10), random.Next(10, size - 10)));
        }

        current = Place(scene, 0, current);
        for (var t = 1; t < frames; t++)
        {
            var next = new List<(int Parent, double Z, double Y, double X)>();
            foreach (var (node, z, y, x) in current)
            {
                var leave = random.NextDouble() < 0.03;
                if (leave)
                {
                    continue;
                }

                if (random.NextDouble() < 0.06 && current.Count < cells * 2)
                {
                    next.Add((node, z, y - 6, x - 6));
                    next.Add((node, z, y + 6, x + 6));
                }
                else
                {
                    next.Add((node, z + (threeD ? random.Next(-2, 3) : 0), y + random.Next(-5, 6), x + random.Next(-5, 6)));
                }
            }

            if (random.NextDouble() < 0.3 || next.Count == 0)
            {
                next.Add((-1, threeD ? random.Next(0, 40) : 0, random.Next(10, size - 10), random.Next(10, size - 10)));
            }

            var placed = Place(scene, t, next.Select(c => (-1, c.Z, c.Y, c.X)).ToList());
            for (var k = 0; k < next.Count; k++)
            {
                if (next[k].Parent >= 0)
                {
                    var siblings = next.Count(c => c.Parent == next[k].Parent);
                    truth[(next[k].Parent, placed[k].Node)] = siblings == 1 || divisionsAsEdges;
                }
            }

            // The box gate, in the reference's loop order: sources ascending, then targets ascending.
            foreach (var source in current.Select(c => c.Node).Order())
            {
                foreach (var target in placed.Select(c => c.Node).Order())
                {
                    var s = scene.Nodes[source];
                    var d = scene.Nodes[target];
                    if (Math.Abs(s.Row - d.Row) <= gate && Math.Abs(s.Column - d.Column) <= gate && Math.Abs(s.Depth - d.Depth) <= gate)
                    {
                        var positive = truth.GetValueOrDefault((source, target));
                        var wrong = random.NextDouble() < noise;
                        var high = positive != wrong;
                        scene.Edge(source, target, high ? 0.5 + 0.5 * random.NextDouble() : 0.5 * random.NextDouble());
                    }
                }
            }

            current = placed;
        }

        return scene.Scores();
    }

    /// <summary>Random probabilities on a dense candidate graph: anything may compete with anything.</summary>
    public static EdgeScores Dense(int seed, int frames, int cellsPerFrame, double edgeShare)
    {
        var random = new Random(seed);
        var scene = new GnnScene();
        var byFrame = new List<List<int>>();
        for (var t = 0; t < frames; t++)
        {
            var count = random.Next(Math.Max(1, cellsPerFrame - 1), cellsPerFrame + 1);
            byFrame.Add([.. Enumerable.Range(0, count).Select(_ => scene.Cell(t, random.Next(0, 50), random.Next(0, 50)))]);
        }

        for (var t = 0; t + 1 < frames; t++)
        {
            foreach (var source in byFrame[t])
            {
                foreach (var target in byFrame[t + 1])
                {
                    if (random.NextDouble() < edgeShare)
                    {
                        scene.Edge(source, target, random.NextDouble());
                    }
                }
            }
        }

        return scene.Scores();
    }

    private static List<(int Node, double Z, double Y, double X)> Place(GnnScene scene, int frame, List<(int Node, double Z, double Y, double X)> cells) =>
        [.. cells.Select(c => (scene.Cell(frame, (int)Math.Round(c.Y), (int)Math.Round(c.X), (int)Math.Round(c.Z)), c.Z, c.Y, c.X))];
}
