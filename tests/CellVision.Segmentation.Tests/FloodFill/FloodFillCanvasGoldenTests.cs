using System.Text.Json.Nodes;
using CellVision.Core.Volumes;

namespace CellVision.Segmentation.Tests.FloodFill;

/// <summary>
/// The canvas and its seed policy equal the NumPy/SciPy transcription of spec A.3 (Golden/ffn_canvas_golden.py), driven
/// by the same stand-in network, on a 100³ FIB-25 crop and on synthetic cells: seed-policy arrays bit for bit, the seeds,
/// every attempt's outcome and visited positions in order, the accepted objects, the −1 markers and the labels.
/// </summary>
[Collection(FloodFillGoldenFixture.Collection)]
public sealed class FloodFillCanvasGoldenTests(FloodFillGoldenFixture golden)
{
    public static TheoryData<string> Cases => FloodFillGoldenFixture.CaseNames;

    [Theory]
    [MemberData(nameof(Cases))]
    public void SeedPolicyMatchesScipyAndScikitImage(string name)
    {
        using var data = golden.Read(name);
        using var image = FloodFillSegmenter.Normalize(data.Raw, data.Options);
        var shape = (image.Depth, image.Height, image.Width);
        var pixels = image.Span.ToArray();
        var edges = SobelGradientMagnitude.Compute(pixels, shape, CancellationToken.None);
        AssertBits(data.Edges, edges, "gradient magnitude");
        var threshold = GaussianSmoothing.Compute(edges, shape, PeakSeedPolicy.ThresholdSigma, CancellationToken.None);
        AssertBits(data.Threshold, threshold, "Gaussian threshold");

        var forbidden = data.Allowed?.Span.ToArray().Select(a => !a).ToArray();
        var distances = PeakSeedPolicy.Distances(PeakSeedPolicy.Edges(edges, threshold, forbidden), forbidden, shape, CancellationToken.None);
        AssertBits(data.Distances, distances, "distance to edges");

        using var canvas = new FloodFillCanvas(image, data.Network, data.Options, data.Allowed);
        var seeds = canvas.FindSeeds(CancellationToken.None);
        Assert.Equal(Positions(data.Reference["seeds"]!), seeds);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CanvasMatchesTheTranscriptionStepForStep(string name)
    {
        using var data = golden.Read(name);
        Assert.Equal(data.Logits["init"]!.GetValue<float>(), FloodFillInferenceOptions.Logit32(data.Options.InitialActivation));
        Assert.Equal(data.Logits["pad"]!.GetValue<float>(), FloodFillInferenceOptions.Logit32(data.Options.PadValue));
        Assert.Equal(data.Logits["move"]!.GetValue<float>(), FloodFillInferenceOptions.Logit32(data.Options.MoveThreshold));
        Assert.Equal(data.Logits["segment"]!.GetValue<float>(), FloodFillInferenceOptions.Logit32(data.Options.SegmentThreshold));

        using var image = FloodFillSegmenter.Normalize(data.Raw, data.Options);
        using var canvas = new FloodFillCanvas(image, data.Network, data.Options, data.Allowed) { KeepVisited = true };
        var seeds = canvas.FindSeeds(CancellationToken.None);
        var attempts = canvas.SegmentAll(seeds, null, CancellationToken.None);

        var expected = data.Reference["attempts"]!.AsArray();
        Assert.Equal(expected.Count, attempts.Count);
        for (var i = 0; i < attempts.Count; i++)
        {
            var reference = expected[i]!;
            var actual = attempts[i];
            var where = $"attempt {i} at {actual.Seed}";
            Assert.Equal(Position(reference["seed"]!), actual.Seed);
            Assert.True(Outcome(reference["outcome"]!.GetValue<string>()) == actual.Outcome, $"{where}: {actual.Outcome}, reference {reference["outcome"]}");
            var steps = Positions(reference["steps"]!);
            Assert.True(steps.SequenceEqual(actual.Visited ?? []), $"{where}: visited {actual.Visited?.Count} positions, reference {steps.Count}; first difference at {FirstDifference(steps, actual.Visited ?? [])}");
            Assert.Equal(steps.Count, actual.Steps);
            if (reference["size"] is JsonNode size)
            {
                Assert.True(size.GetValue<long>() == actual.NewVoxels, $"{where}: {actual.NewVoxels} new voxels, reference {size}");
            }

            if (actual.Outcome == FloodFillSeedOutcome.Accepted)
            {
                Assert.Equal(reference["id"]!.GetValue<uint>(), actual.SegmentId);
                var segment = canvas.Segments.Single(s => s.Id == actual.SegmentId);
                var overlaps = reference["overlaps"]!.AsArray().Select(o => (o![0]!.GetValue<uint>(), o[1]!.GetValue<long>())).ToList();
                Assert.Equal(overlaps, segment.Overlaps);
                Assert.Equal(actual.Seed, segment.Seed);
                Assert.Equal(actual.Steps, segment.Steps);
                Assert.Equal(actual.NewVoxels, segment.VoxelCount);
            }
        }

        Assert.Equal(data.Canvas, canvas.Segmentation.Span.ToArray());
        using var labels = canvas.Labels();
        Assert.Equal(data.Labels, labels.Bytes.ToArray());
    }

    [Fact]
    public void SegmenterReturnsTheReferenceLabelsObjectsAndProgressOnTheFib25Crop()
    {
        using var data = golden.Read("fib25");
        var reports = new List<FloodFillProgress>();
        using var result = FloodFillSegmenter.Segment(data.Raw, data.Network, data.Options, data.Allowed, new SynchronousProgress<FloodFillProgress>(reports));
        Assert.Equal(data.Labels, result.Segmentation.Bytes.ToArray());

        var accepted = data.Reference["attempts"]!.AsArray().Where(a => a!["outcome"]!.GetValue<string>() == "accepted").ToList();
        Assert.Equal(accepted.Select(a => a!["id"]!.GetValue<uint>()), result.Segments.Select(s => s.Id));
        Assert.Equal(accepted.Select(a => Position(a!["seed"]!)), result.Segments.Select(s => s.Seed));
        Assert.Equal(accepted.Select(a => a!["size"]!.GetValue<long>()), result.Segments.Select(s => s.VoxelCount));
        Assert.True(accepted.Count >= 5, $"the stand-in should accept several objects on the crop; it accepted {accepted.Count}");
        foreach (var outcome in new[] { FloodFillSeedOutcome.Invalid, FloodFillSeedOutcome.NearSegment, FloodFillSeedOutcome.WeakSeed, FloodFillSeedOutcome.TooSmall })
        {
            Assert.Contains(result.Attempts, a => a.Outcome == outcome);
        }

        var seedCount = data.Reference["seeds"]!.AsArray().Count;
        var totalSteps = data.Reference["attempts"]!.AsArray().Sum(a => a!["steps"]!.AsArray().Count);
        Assert.Equal(totalSteps, result.Steps);
        Assert.Equal(totalSteps, data.Network.Calls);
        Assert.Equal(seedCount, reports.Count);
        Assert.Equal(new FloodFillProgress(seedCount, seedCount, accepted.Count, totalSteps), reports[^1]);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second.SeedsTried == p.First.SeedsTried + 1 && p.Second.Steps >= p.First.Steps));
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var differing = Enumerable.Range(0, expected.Length).Where(i => BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i])).ToList();
        Assert.True(differing.Count == 0, $"{what}: {differing.Count} of {expected.Length} voxels differ, first at {differing.FirstOrDefault()} ({actual[differing.FirstOrDefault()]} vs {expected[differing.FirstOrDefault()]})");
    }

    internal static (int Z, int Y, int X) Position(JsonNode node) => (node[0]!.GetValue<int>(), node[1]!.GetValue<int>(), node[2]!.GetValue<int>());

    internal static List<(int Z, int Y, int X)> Positions(JsonNode node) => [.. node.AsArray().Select(p => Position(p!))];

    private static int FirstDifference(List<(int Z, int Y, int X)> expected, IReadOnlyList<(int Z, int Y, int X)> actual)
    {
        var i = 0;
        while (i < expected.Count && i < actual.Count && expected[i] == actual[i])
        {
            i++;
        }

        return i;
    }

    internal static FloodFillSeedOutcome Outcome(string name) => name switch
    {
        "invalid" => FloodFillSeedOutcome.Invalid,
        "near-segment" => FloodFillSeedOutcome.NearSegment,
        "no-steps" => FloodFillSeedOutcome.NoSteps,
        "weak-seed" => FloodFillSeedOutcome.WeakSeed,
        "too-small" => FloodFillSeedOutcome.TooSmall,
        "accepted" => FloodFillSeedOutcome.Accepted,
        _ => throw new ArgumentException($"unknown outcome {name}", nameof(name)),
    };
}
