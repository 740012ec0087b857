using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.Server.Tests.Infrastructure;
using CellVision.Torch;
using CellVision.Torch.Serialization;

namespace CellVision.Server.Tests;

/// <summary><c>use_2d</c> in <c>/seg/predict</c>: a 2-D detection model predicting each Z slice, as the library does.</summary>
public sealed class UseTwoDTests
{
    [Fact]
    public async Task Use2DPredictsEverySliceWithThe2DVersatileModelAsTheLibraryDoes()
    {
        await using var files = await ModelFileHost.StartAsync();
        await using var server = await ElephantTestServer.StartAsync(pretrainedModels: files.Address);
        await server.PrepareTinyDatasetAsync();
        var weights = TwoDModel(5);
        files.Put("versatile2d.pth", weights);

        // Versatile with is_3d false is ELEPHANT's versatile2d.pth, a 2-D network.
        var reset = ModelFileTests.ResetDefault.Replace("\"is_3d\":true,\"cache_maxbytes\":1073741824,\"url\":null", "\"is_3d\":false,\"cache_maxbytes\":1073741824,\"url\":\"Versatile\"", StringComparison.Ordinal);
        using (var response = await server.PostJsonAsync("seg/reset", reset))
        {
            Assert.Equal("{\"completed\":true}", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(["/versatile2d.pth"], files.Requests);
        var model = Path.Combine(server.Workspace, "models", "detection.pth");
        Assert.Equal(weights, await File.ReadAllBytesAsync(model));

        // The library on the same model and frame; the threshold keeps the most central 5 % of the voxels.
        var networks = DetectionUNet2D.LoadEnsemble(model);
        var predictor = new SliceWiseDetectionPredictor(networks);
        var prediction = new PredictionOptions { PatchSize = (24, 384, 384), MitigateEdgeDiscontinuities = true };
        using var frame = TinyMovie.Frame(1);
        using var normalised = Normalization.MinMaxToUnit(frame);
        double threshold;
        using (var probabilities = predictor.Predict(normalised, prediction))
        {
            threshold = probabilities.Centre.Span.ToArray().Order().ElementAt(probabilities.Centre.Length * 95 / 100);
        }

        var expected = predictor.Detect(normalised, prediction, new SpotExtractionOptions { ProbabilityThreshold = threshold, MinimumRadius = 1, MaximumRadius = 5 });
        networks.ToList().ForEach(n => n.Dispose());
        Assert.NotEmpty(expected);

        using var predict = await server.PostJsonAsync("seg/predict", ClientJson.Predict(1, threshold: threshold).Replace("\"use_2d\":false", "\"use_2d\":true", StringComparison.Ordinal));
        var reply = await ElephantTestServer.JsonAsync(predict);
        Assert.True(reply.GetProperty("completed").GetBoolean());
        var spots = reply.GetProperty("spots").EnumerateArray().ToList();
        Assert.Equal(expected.Count, spots.Count);
        for (var i = 0; i < spots.Count; i++)
        {
            Assert.Equal([expected[i].X, expected[i].Y, expected[i].Z], spots[i].GetProperty("pos").EnumerateArray().Select(e => e.GetDouble()));
            Assert.Equal(expected[i].Covariance, spots[i].GetProperty("covariance").EnumerateArray().Select(e => e.GetDouble()));
        }

        // Without use_2d the same file is not a (3-D) detection model, nor can it be trained; it stays as it was.
        using (var threeD = await server.PostJsonAsync("seg/predict", ClientJson.Predict(1)))
        {
            Assert.StartsWith("Exception: ", await ElephantTestServer.ErrorAsync(threeD, 500), StringComparison.Ordinal);
        }

        using (var train = await server.PostJsonAsync("seg/train", ClientJson.Train(ClientJson.TinySpots(0))))
        {
            Assert.StartsWith("Exception: ", await ElephantTestServer.ErrorAsync(train, 500), StringComparison.Ordinal);
        }

        Assert.Equal(weights, await File.ReadAllBytesAsync(model));
        Assert.Equal(0, await DetectionWorkflowTests.StateAsync(server));
    }

    [Fact]
    public async Task Use2DNeedsAnExisting2DModel()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        var body = ClientJson.Predict(0).Replace("\"use_2d\":false", "\"use_2d\":true", StringComparison.Ordinal);
        using (var missing = await server.PostJsonAsync("seg/predict", body))
        {
            Assert.StartsWith("use_2d needs a 2-D detection model, and detection.pth does not exist", await ElephantTestServer.ErrorAsync(missing, 500), StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFiles(Path.Combine(server.Workspace, "models")));
        using (var reset = await server.PostJsonAsync("seg/reset", "{\"model_name\":\"detection.pth\",\"url\":null}"))
        {
            Assert.Equal(200, (int)reset.StatusCode);
        }

        using (var threeD = await server.PostJsonAsync("seg/predict", body))
        {
            Assert.StartsWith("use_2d needs a 2-D detection model, and detection.pth is not one", await ElephantTestServer.ErrorAsync(threeD, 500), StringComparison.Ordinal);
        }

        Assert.Equal(0, await DetectionWorkflowTests.StateAsync(server));
    }

    /// <summary>The bytes of a seeded 2-D detection U-Net's state dict.</summary>
    private static byte[] TwoDModel(int seed)
    {
        var path = Path.GetTempFileName();
        try
        {
            TorchRuntime.ManualSeed((ulong)seed);
            using var model = new DetectionUNet2D();
            using var weights = model.StateDict();
            PthFile.Save(path, weights);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
