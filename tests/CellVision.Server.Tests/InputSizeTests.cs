using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.IO.Zarr;
using CellVision.Server.Tests.Infrastructure;

namespace CellVision.Server.Tests;

/// <summary><c>input_size</c> other than the image size (the client's rescale factors) in <c>/seg/predict</c> and <c>/seg/train</c>.</summary>
public sealed class InputSizeTests
{
    [Fact]
    public async Task PredictionResamplesTheFrameAsTheLibraryDoesAndKeepsPositionsInMicrometres()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        using (var train = await server.PostJsonAsync("seg/train", ClientJson.Train(ClientJson.TinySpots(0, 1), epochs: 2)))
        {
            Assert.Equal("{\"completed\":true}", await train.Content.ReadAsStringAsync());
        }

        var model = Path.Combine(server.Workspace, "models", "detection.pth");
        using var frame = TinyMovie.Frame(1);

        // Rescale X and Y by 2: the frame goes through the network at 64 × 64 × 8, 0.5 × 0.5 × 2 µm voxels.
        var reply = await PredictAsync(server, ClientJson.Predict(1, threshold: 0.05).Replace("[32,32,8]", "[64,64,8]", StringComparison.Ordinal));
        using (var detector = NucleusDetector.Load(model, Options((1, 2, 2))))
        {
            var expected = detector.DetectFrame(frame);
            Assert.NotEmpty(expected);
            AssertSpots(expected, reply, (0, 0));
        }

        using (var detector = NucleusDetector.Load(model, Options((1, 1, 1))))
        {
            var unscaled = detector.DetectFrame(frame);
            Assert.NotEqual(unscaled.Select(s => (s.X, s.Y)), reply.Select(s => (s.Pos[0], s.Pos[1])));
        }

        // Around the mouse with factor 1.5: the crop is resampled to 24 × 24 × 8 and its origin 5 lands on ⌊7.5⌋ = 7
        // voxels of 1/1.5 µm, so positions are shifted by 4.667 µm, not 5, as ELEPHANT shifts them.
        var cropped = await PredictAsync(server, ClientJson.Predict(1, "[5,5,0,16,16,8]", threshold: 0.05).Replace("[32,32,8]", "[48,48,8]", StringComparison.Ordinal));
        using (var detector = NucleusDetector.Load(model, Options((1, 1.5, 1.5))))
        {
            using var crop = frame.Crop(Box.FromZyx(0, 5, 5, 8, 16, 16));
            var expected = detector.DetectFrame(crop);
            Assert.NotEmpty(expected);
            AssertSpots(expected, cropped, (7 / 1.5, 7 / 1.5));
        }
    }

    [Fact]
    public async Task OutputPredictionIsWrittenAtTheImageSizeAndBadSizesAreRefused()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        // Y doubled: the 16 × 16 crop goes through the network at 32 × 16 (a multiple of the U-Net's 16, so its
        // probabilities sum to 1) and comes back at 16 × 16.
        var body = ClientJson.Predict(2, "[16,0,0,16,16,8]", output: true).Replace("[32,32,8]", "[32,64,8]", StringComparison.Ordinal);
        using (var predict = await server.PostJsonAsync("seg/predict", body))
        {
            Assert.True((await ElephantTestServer.JsonAsync(predict)).GetProperty("completed").GetBoolean());
        }

        var outputs = ZarrArray.Open(Path.Combine(server.Workspace, "datasets", "tiny", "seg_outputs.zarr"));
        var inside = outputs.Read<Half>(new Box([2, 0, 0, 16, 0], [1, 8, 16, 16, 3]));
        for (var i = 0; i < inside.Length; i += 3)
        {
            Assert.Equal(1.0, (double)inside[i] + (double)inside[i + 1] + (double)inside[i + 2], 0.01);
        }

        Assert.All(outputs.Read<Half>(new Box([2, 0, 16, 0, 0], [1, 8, 16, 32, 3])), v => Assert.Equal((Half)0, v));

        using var zero = await server.PostJsonAsync("seg/predict", ClientJson.Predict(2).Replace("[32,32,8]", "[32,0,8]", StringComparison.Ordinal));
        Assert.Equal("input_size [32, 0, 8] must be positive", await ElephantTestServer.ErrorAsync(zero, 400));
        Assert.Equal(0, await DetectionWorkflowTests.StateAsync(server));
    }

    [Fact]
    public async Task TrainingResamplesFramesAndLabelsToInputSize()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        var spots = ClientJson.TinySpots(0, 1);
        using (var plain = await server.PostJsonAsync("seg/train", ClientJson.Train(spots, model: "plain.pth")))
        {
            Assert.Equal("{\"completed\":true}", await plain.Content.ReadAsStringAsync());
        }

        Assert.DoesNotContain(server.Logs.Lines, l => l.StartsWith("Training frame resampled", StringComparison.Ordinal));
        var rescaled = ClientJson.Train(spots, model: "rescaled.pth").Replace("\"input_size\":[32,32,8]", "\"input_size\":[48,40,8]", StringComparison.Ordinal);
        using (var train = await server.PostJsonAsync("seg/train", rescaled))
        {
            Assert.Equal("{\"completed\":true}", await train.Content.ReadAsStringAsync());
        }

        Assert.Equal(2, server.Logs.Lines.Count(l => l == "Training frame resampled to input_size [48, 40, 8]"));

        // Same seed, same spots: only the resampling differs, and so do the weights.
        var models = Path.Combine(server.Workspace, "models");
        Assert.NotEqual(await File.ReadAllBytesAsync(Path.Combine(models, "plain.pth")), await File.ReadAllBytesAsync(Path.Combine(models, "rescaled.pth")));
        using (DetectionUNet.LoadEnsemble(Path.Combine(models, "rescaled.pth"))[0])
        {
        }

        using var zero = await server.PostJsonAsync("seg/train", rescaled.Replace("[48,40,8]", "[48,40,0]", StringComparison.Ordinal));
        Assert.Equal("input_size [48, 40, 0] must be positive", await ElephantTestServer.ErrorAsync(zero, 400));
        Assert.Equal(0, await DetectionWorkflowTests.StateAsync(server));
    }

    private static NucleusDetectorOptions Options((double, double, double) factor) => new()
    {
        Prediction = new PredictionOptions { PatchSize = (24, 384, 384), MitigateEdgeDiscontinuities = true, ResizeFactor = factor },
        SpotExtraction = new SpotExtractionOptions { ProbabilityThreshold = 0.05, MinimumRadius = 1, MaximumRadius = 5 },
    };

    private static async Task<List<(double[] Pos, double[] Covariance)>> PredictAsync(ElephantTestServer server, string body)
    {
        using var predict = await server.PostJsonAsync("seg/predict", body);
        var reply = await ElephantTestServer.JsonAsync(predict);
        Assert.True(reply.GetProperty("completed").GetBoolean());
        return [.. reply.GetProperty("spots").EnumerateArray().Select(s => (
            s.GetProperty("pos").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            s.GetProperty("covariance").EnumerateArray().Select(e => e.GetDouble()).ToArray()))];
    }

    private static void AssertSpots(IReadOnlyList<DetectedSpot> expected, List<(double[] Pos, double[] Covariance)> spots, (double X, double Y) offset)
    {
        Assert.Equal(expected.Count, spots.Count);
        for (var i = 0; i < spots.Count; i++)
        {
            Assert.Equal(expected[i].X + offset.X, spots[i].Pos[0], 1e-9);
            Assert.Equal(expected[i].Y + offset.Y, spots[i].Pos[1], 1e-9);
            Assert.Equal(expected[i].Z, spots[i].Pos[2], 1e-9);
            Assert.Equal(expected[i].Covariance, spots[i].Covariance);
        }
    }
}
