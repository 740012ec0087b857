using System.Globalization;
using System.Text.Json;
using CellVision.Core.Synthetic;

namespace CellVision.Tracking.Tests.Gnn;

/// <summary>
/// The box gate, the 'simple' training labels, the 10-frame windows and the min-max scaling against a NumPy
/// transcription, edge for edge, on 12 real frames of Fluo-N2DH-SIM+ 01 (frames 5–16, with divisions at 10, 11 and 14)
/// and on a synthetic 3-D movie.
/// </summary>
public sealed class CandidateGraphGoldenTests
{
    private const int First = 5;
    private const int Frames = 12;

    [Fact]
    public void Training_windows_and_sequence_graph_match_the_numpy_transcription()
    {
        var arguments = new List<string> { "graphs", "10", Frames.ToString(CultureInfo.InvariantCulture) };
        var frames = new List<IReadOnlyList<CellFeatures>>();
        for (var t = First; t < First + Frames; t++)
        {
            var (raw, tra, _) = GnnReference.SimFrame(t);
            using var image = GnnReference.ReadTiff(raw);
            using var markers = GnnReference.ReadTiff(tra);
            frames.Add(CellFeatureExtractor.ExtractWithTrackIds(image, markers, markers, t));
            arguments.AddRange([t.ToString(CultureInfo.InvariantCulture), raw, tra, tra]);
        }

        var reference = GnnReference.Run([.. arguments]);

        var statistics = CellSequenceStatistics.Of(frames.SelectMany(f => f));
        var roi = statistics.Roi();
        Assert.Equal(GnnReference.Ints(reference.GetProperty("roi")), new[] { (int)roi.Y, (int)roi.X });
        var windows = TrainingWindows.Create(frames);
        Assert.Equal(Frames - 9, windows.Count);
        var expected = reference.GetProperty("windows");
        Assert.Equal(expected.GetArrayLength(), windows.Count);
        for (var w = 0; w < windows.Count; w++)
        {
            AssertGraphEqual(expected[w], windows[w], labelled: true);
            Assert.Equal(Enumerable.Range(First + w, 10), windows[w].Nodes.Select(n => n.Frame).Distinct());
        }

        // Divisions in the windows: mother → daughter candidates are there, as negatives.
        Assert.Contains(windows.SelectMany(EdgesWithLabels), e => e.Label == 0 && e.SourceTrack != e.TargetTrack);

        var sequence = CandidateGraphBuilder.Build([.. frames.SelectMany(f => f)]);
        Assert.Null(sequence.EdgeLabels);
        AssertGraphEqual(reference.GetProperty("sequence"), sequence, labelled: false);
    }

    [Fact]
    public void Synthetic_3d_windows_match_the_numpy_transcription()
    {
        const int timepoints = 11;
        using var movie = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Timepoints = timepoints, Depth = 12, Height = 48, Width = 48, InitialNuclei = 6, DivisionProbability = 0.15, Seed = 8 });
        using var folder = new TemporaryFolder();
        var arguments = new List<string> { "graphs", "10", timepoints.ToString(CultureInfo.InvariantCulture) };
        var frames = new List<IReadOnlyList<CellFeatures>>();
        for (var t = 0; t < timepoints; t++)
        {
            frames.Add(CellFeatureExtractor.ExtractWithTrackIds(movie.Images[t], movie.Masks[t], movie.Masks[t], t));
            var raw = GnnReference.WriteBin(movie.Images[t], folder[$"raw{t}.bin"], "<u2");
            var mask = GnnReference.WriteBin(movie.Masks[t], folder[$"mask{t}.bin"], "<u2");
            arguments.AddRange([t.ToString(CultureInfo.InvariantCulture), raw, mask, mask]);
        }

        var reference = GnnReference.Run([.. arguments]);

        var roi = CellSequenceStatistics.Of(frames.SelectMany(f => f)).Roi();
        Assert.Equal(GnnReference.Ints(reference.GetProperty("roi")), new[] { (int)roi.Z, (int)roi.Y, (int)roi.X });
        var windows = TrainingWindows.Create(frames);
        Assert.Equal(2, windows.Count);
        for (var w = 0; w < windows.Count; w++)
        {
            AssertGraphEqual(reference.GetProperty("windows")[w], windows[w], labelled: true);
        }

        AssertGraphEqual(reference.GetProperty("sequence"), CandidateGraphBuilder.Build([.. frames.SelectMany(f => f)]), labelled: false);
    }

    private static IEnumerable<(float Label, uint SourceTrack, uint TargetTrack)> EdgesWithLabels(CandidateGraph graph)
    {
        for (var e = 0; e < graph.EdgeCount; e++)
        {
            // seg = TRA here, so a node's label is its track id.
            yield return (graph.EdgeLabels![e], graph.Nodes[graph.Source(e)].Label, graph.Nodes[graph.Target(e)].Label);
        }
    }

    private static void AssertGraphEqual(JsonElement expected, CandidateGraph graph, bool labelled)
    {
        var nodes = expected.GetProperty("nodes").EnumerateArray().Select(n => new GraphNode(n[0].GetInt32(), n[1].GetUInt32())).ToArray();
        Assert.Equal(nodes, graph.Nodes);
        var edges = expected.GetProperty("edges").EnumerateArray().Select(e => (e[0].GetInt32(), e[1].GetInt32())).ToArray();
        Assert.Equal(edges, Enumerable.Range(0, graph.EdgeCount).Select(e => (graph.Source(e), graph.Target(e))).ToArray());
        if (labelled)
        {
            Assert.Equal(expected.GetProperty("labels").EnumerateArray().Select(l => (float)l.GetInt32()), graph.EdgeLabels!);
            Assert.InRange(graph.PositiveEdgeCount, 1, graph.EdgeCount - 1);
        }

        var x = expected.GetProperty("x");
        Assert.Equal(x[0].GetArrayLength(), graph.FeatureCount); // 13 in 2-D, 16 in 3-D
        for (var i = 0; i < graph.NodeCount; i++)
        {
            for (var f = 0; f < graph.FeatureCount; f++)
            {
                var want = (float)x[i][f].GetDouble();
                var got = graph.NodeFeatures[(i * graph.FeatureCount) + f];
                // One float32 step: the axis lengths may differ from scikit-image's in the last double bits.
                Assert.True(Math.Abs(want - got) <= 1.2e-7, $"node {i} ({graph.FeatureNames[f]}): reference {want:R}, computed {got:R}");
            }
        }
    }
}
