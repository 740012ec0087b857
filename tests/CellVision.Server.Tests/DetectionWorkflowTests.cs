using System.Text.Json;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.IO.Zarr;
using CellVision.Server.Messaging;
using CellVision.Server.Tests.Infrastructure;

namespace CellVision.Server.Tests;

/// <summary>Label update, batch and live training, prediction and abort, replayed as the client sends them.</summary>
public sealed class DetectionWorkflowTests
{
    [Fact]
    public async Task BatchTrainingThenPredictionGivesTheLibrarysSpots()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        using (var update = await server.PostJsonAsync("seg/update", ClientJson.Update(ClientJson.TinySpots(0))))
        {
            Assert.Equal("{\"completed\":true}", await update.Content.ReadAsStringAsync());
        }

        var labels = ZarrArray.Open(Path.Combine(server.Workspace, "datasets", "tiny", "seg_labels.zarr"));
        var frame0 = labels.Read<byte>(new Box([0, 0, 0, 0], [1, 8, 32, 32]));
        Assert.Contains(frame0, v => v == 3);
        Assert.Contains(frame0, v => v == 1);
        var attributes = labels.ReadAttributes();
        Assert.Equal("[[4,10,10],[4,21,22],[4,5,27],[4,27,5]]", attributes["label.indices.0"]!.ToJsonString());
        Assert.True(attributes["updated"]!.GetValue<bool>());
        var vis = ZarrArray.Open(Path.Combine(server.Workspace, "datasets", "tiny", "seg_labels_vis.zarr"));
        Assert.Contains(vis.Read<byte>(new Box([0, 0, 0, 0, 0], [1, 8, 32, 32, 3])), v => v == 255);

        using (var train = await server.PostJsonAsync("seg/train", ClientJson.Train(ClientJson.TinySpots(0, 1), epochs: 2)))
        {
            Assert.Equal("{\"completed\":true}", await train.Content.ReadAsStringAsync());
        }

        Assert.Equal([ServerMessages.ModelUpdated, ServerMessages.ModelUpdated], server.Publisher.On(ServerQueues.Update));
        var model = Path.Combine(server.Workspace, "models", "detection.pth");
        Assert.True(File.Exists(model));
        Assert.Empty(Directory.GetFiles(Path.Combine(server.Workspace, "models"), "*.saving"));

        using var predict = await server.PostJsonAsync("seg/predict", ClientJson.Predict(1, threshold: 0.05));
        Assert.Equal(200, (int)predict.StatusCode);
        var reply = await ElephantTestServer.JsonAsync(predict);
        Assert.True(reply.GetProperty("completed").GetBoolean());
        Assert.Equal([ServerMessages.PredictionUpdated], server.Publisher.On(ServerQueues.Prediction));

        // The same model and frame through the library.
        var options = new NucleusDetectorOptions
        {
            Prediction = new PredictionOptions { PatchSize = (24, 384, 384), MitigateEdgeDiscontinuities = true },
            SpotExtraction = new SpotExtractionOptions { ProbabilityThreshold = 0.05, MinimumRadius = 1, MaximumRadius = 5 },
        };
        using var detector = NucleusDetector.Load(model, options);
        using var frame = TinyMovie.Frame(1);
        var expected = detector.DetectFrame(frame);
        var spots = reply.GetProperty("spots").EnumerateArray().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, spots.Count);
        for (var i = 0; i < spots.Count; i++)
        {
            Assert.Equal(1, spots[i].GetProperty("t").GetInt32());
            Assert.Equal([expected[i].X, expected[i].Y, expected[i].Z], spots[i].GetProperty("pos").EnumerateArray().Select(e => e.GetDouble()));
            Assert.Equal(expected[i].Covariance, spots[i].GetProperty("covariance").EnumerateArray().Select(e => e.GetDouble()));
            Assert.Equal(expected[i].Quality, spots[i].GetProperty("quality").GetDouble());
        }

        // Around the mouse: only the crop box is predicted, positions stay global.
        using var cropped = await server.PostJsonAsync("seg/predict", ClientJson.Predict(1, "[16,16,0,16,16,8]", threshold: 0.05));
        var croppedReply = await ElephantTestServer.JsonAsync(cropped);
        Assert.True(croppedReply.GetProperty("completed").GetBoolean());
        using var crop = frame.Crop(Box.FromZyx(0, 16, 16, 8, 16, 16));
        var expectedInCrop = detector.DetectFrame(crop);
        var croppedSpots = croppedReply.GetProperty("spots").EnumerateArray().ToList();
        Assert.NotEmpty(expectedInCrop);
        Assert.Equal(expectedInCrop.Count, croppedSpots.Count);
        for (var i = 0; i < croppedSpots.Count; i++)
        {
            var pos = croppedSpots[i].GetProperty("pos").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal([expectedInCrop[i].X + 16, expectedInCrop[i].Y + 16, expectedInCrop[i].Z], pos);
            Assert.InRange(pos[0], 16, 32);
            Assert.InRange(pos[1], 16, 32);
        }
    }

    [Fact]
    public async Task LiveModeTrainsOneEpochPerUpdateTakesParamsAndStopsOnAbort()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        var training = server.PostJsonAsync("seg/train", ClientJson.Train("[]", live: true));
        await WaitUntilAsync(async () => await StateAsync(server) == 1);

        using (var update = await server.PostJsonAsync("seg/update", ClientJson.Update(ClientJson.TinySpots(0), live: true)))
        {
            Assert.Equal("{\"completed\":true}", await update.Content.ReadAsStringAsync());
        }

        await WaitUntilAsync(() => Task.FromResult(server.Publisher.On(ServerQueues.Update).Count == 1), server);

        // Preferences applied: the client posts /params (no slash) with an integer-valued lr.
        using (var parameters = await server.PostJsonAsync("params", "{\"lr\":1,\"n_crops\":2}"))
        {
            Assert.Equal(200, (int)parameters.StatusCode);
            var reply = await ElephantTestServer.JsonAsync(parameters);
            Assert.Equal(1, reply.GetProperty("lr").GetDouble());
            Assert.Equal(2, reply.GetProperty("n_crops").GetInt32());
        }

        using (var parameters = await server.PostJsonAsync("params/", "{\"lr\":1.0E-4,\"n_crops\":2}"))
        {
            Assert.Equal(200, (int)parameters.StatusCode);
        }

        // A prediction during live training.
        using (var predict = await server.PostJsonAsync("seg/predict", ClientJson.Predict(0)))
        {
            Assert.True((await ElephantTestServer.JsonAsync(predict)).GetProperty("completed").GetBoolean());
        }

        Assert.Equal(1, await StateAsync(server));
        using (var update = await server.PostJsonAsync("seg/update", ClientJson.Update(ClientJson.TinySpots(1), live: true)))
        {
            Assert.Equal("{\"completed\":true}", await update.Content.ReadAsStringAsync());
        }

        await WaitUntilAsync(() => Task.FromResult(server.Publisher.On(ServerQueues.Update).Count == 2), server);
        Assert.Contains(server.Logs.Lines, l => l.Contains("Learning rate set to 0.0001", StringComparison.Ordinal));
        Assert.False(training.IsCompleted);

        using (var abort = await server.PostJsonAsync("state/process", "{\"state\":0}"))
        {
            Assert.Equal("{\"state\":0,\"success\":true}", await abort.Content.ReadAsStringAsync());
        }

        using var trained = await training;
        Assert.Equal(200, (int)trained.StatusCode);
        Assert.Equal("{\"completed\":false}", await trained.Content.ReadAsStringAsync());
        Assert.Equal(0, await StateAsync(server));
        using var model = DetectionUNet.LoadEnsemble(Path.Combine(server.Workspace, "models", "detection.pth"))[0];
    }

    [Fact]
    public async Task PredictionPausesBatchTrainingAndAbortKeepsTheLastSavedModel()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        var training = server.PostJsonAsync("seg/train", ClientJson.Train(ClientJson.TinySpots(0), epochs: 1000));
        await WaitUntilAsync(() => Task.FromResult(server.Publisher.On(ServerQueues.Update).Count >= 1));

        using (var second = await server.PostJsonAsync("seg/train", ClientJson.Train(ClientJson.TinySpots(0))))
        {
            Assert.Equal("Process is running", await ElephantTestServer.ErrorAsync(second, 500));
        }

        using (var reset = await server.PostJsonAsync("seg/reset", "{\"dataset_name\":\"tiny\",\"scales\":[1,1,2],\"n_crops\":5,\"crop_size\":[256,256,16],\"model_name\":\"detection.pth\",\"n_keep_axials\":1,\"is_3d\":true,\"cache_maxbytes\":1073741824,\"url\":null}"))
        {
            Assert.Equal("Process is running. Model cannot be reset.", await ElephantTestServer.ErrorAsync(reset, 500));
        }

        using (var predict = await server.PostJsonAsync("seg/predict", ClientJson.Predict(2)))
        {
            Assert.True((await ElephantTestServer.JsonAsync(predict)).GetProperty("completed").GetBoolean());
        }

        Assert.Equal(1, await StateAsync(server));
        var epochs = server.Publisher.On(ServerQueues.Update).Count;
        await WaitUntilAsync(() => Task.FromResult(server.Publisher.On(ServerQueues.Update).Count > epochs));
        using (var abort = await server.PostJsonAsync("state/process", "{\"state\":0}"))
        {
            Assert.Equal(200, (int)abort.StatusCode);
        }

        using var trained = await training;
        Assert.Equal("{\"completed\":false}", await trained.Content.ReadAsStringAsync());
        Assert.Empty(Directory.GetFiles(Path.Combine(server.Workspace, "models"), "*.saving"));
        using var model = DetectionUNet.LoadEnsemble(Path.Combine(server.Workspace, "models", "detection.pth"))[0];

        // After the abort another training may start.
        using var again = await server.PostJsonAsync("seg/train", ClientJson.Train(ClientJson.TinySpots(0)));
        Assert.Equal("{\"completed\":true}", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ResetLabelsEmptiesTheLabelArrays()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        using (var update = await server.PostJsonAsync("seg/update", ClientJson.Update(ClientJson.TinySpots(0, 2))))
        {
            Assert.Equal(200, (int)update.StatusCode);
        }

        using (var reset = await server.PostJsonAsync("seg/update", "{\"dataset_name\":\"tiny\",\"reset\":true}"))
        {
            Assert.Equal("{\"completed\":true}", await reset.Content.ReadAsStringAsync());
        }

        var labels = ZarrArray.Open(Path.Combine(server.Workspace, "datasets", "tiny", "seg_labels.zarr"));
        Assert.All(labels.Read<byte>(labels.Bounds), v => Assert.Equal(0, v));
        Assert.Empty(labels.ReadAttributes());
        using var check = await server.PostJsonAsync("dataset/check", ClientJson.Check());
        Assert.Equal("ready", (await ElephantTestServer.JsonAsync(check)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task LiveUpdatesMustHoldOneTimepointAndUpdatesNeedSpots()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        using (var two = await server.PostJsonAsync("seg/update", ClientJson.Update(ClientJson.TinySpots(0, 1), live: true)))
        {
            Assert.Equal("Livemode should update only a single timepoint", await ElephantTestServer.ErrorAsync(two, 400));
        }

        using (var none = await server.PostJsonAsync("seg/update", ClientJson.Update("[]")))
        {
            Assert.Equal("nothing to update", await ElephantTestServer.ErrorAsync(none, 400));
        }

        using (var train = await server.PostJsonAsync("seg/train", ClientJson.Train("[]")))
        {
            Assert.Equal("nothing to train", await ElephantTestServer.ErrorAsync(train, 400));
        }

        Assert.Equal(0, await StateAsync(server));
    }

    [Fact]
    public async Task OutputPredictionWritesTheProbabilitiesOfThePredictedRegion()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        using var predict = await server.PostJsonAsync("seg/predict", ClientJson.Predict(2, "[16,0,0,16,16,8]", output: true));
        Assert.True((await ElephantTestServer.JsonAsync(predict)).GetProperty("completed").GetBoolean());
        var outputs = ZarrArray.Open(Path.Combine(server.Workspace, "datasets", "tiny", "seg_outputs.zarr"));
        var inside = outputs.Read<Half>(new Box([2, 0, 0, 16, 0], [1, 8, 16, 16, 3]));
        for (var i = 0; i < inside.Length; i += 3)
        {
            Assert.Equal(1.0, (double)inside[i] + (double)inside[i + 1] + (double)inside[i + 2], 0.01);
        }

        Assert.All(outputs.Read<Half>(new Box([2, 0, 16, 0, 0], [1, 8, 16, 32, 3])), v => Assert.Equal((Half)0, v));
        Assert.All(outputs.Read<Half>(new Box([1, 0, 0, 0, 0], [1, 8, 32, 32, 3])), v => Assert.Equal((Half)0, v));
    }

    [Fact]
    public async Task CrashedTrainingIsReportedAsAnErrorNotAsCompleted()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        using var train = await server.PostJsonAsync("seg/train", ClientJson.Train(ClientJson.TinySpots(0)).Replace("\"aug_scale_factor_base\":0", "\"aug_scale_factor_base\":1.5", StringComparison.Ordinal));
        var error = await ElephantTestServer.ErrorAsync(train, 500);
        Assert.StartsWith("Exception: ", error, StringComparison.Ordinal);
        Assert.Equal(0, await StateAsync(server));
    }

    [Fact]
    public async Task ShutdownAbortsALiveTrainingAndAnswersItsRequest()
    {
        var server = await ElephantTestServer.StartAsync();
        try
        {
            await server.PrepareTinyDatasetAsync();
            var training = server.PostJsonAsync("seg/train", ClientJson.Train("[]", live: true));
            await WaitUntilAsync(async () => await StateAsync(server) == 1);
            using (var update = await server.PostJsonAsync("seg/update", ClientJson.Update(ClientJson.TinySpots(0), live: true)))
            {
                Assert.Equal(200, (int)update.StatusCode);
            }

            await server.StopAsync();
            using var trained = await training;
            Assert.Equal("{\"completed\":false}", await trained.Content.ReadAsStringAsync());
            Assert.Empty(server.TemporaryFiles());
            using var model = DetectionUNet.LoadEnsemble(Path.Combine(server.Workspace, "models", "detection.pth"))[0];
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ShutdownDuringABatchTrainingLeavesALoadableModelAndNoTemporaryFiles()
    {
        var server = await ElephantTestServer.StartAsync();
        try
        {
            await server.PrepareTinyDatasetAsync();
            var training = server.PostJsonAsync("seg/train", ClientJson.Train(ClientJson.TinySpots(0, 1, 2), epochs: 10_000));
            await WaitUntilAsync(() => Task.FromResult(server.Publisher.On(ServerQueues.Update).Count >= 2 || training.IsCompleted), server);
            Assert.False(training.IsCompleted, "the training ended before the shutdown");

            await server.StopAsync();
            using var trained = await training;
            Assert.Equal("{\"completed\":false}", await trained.Content.ReadAsStringAsync());
            Assert.Empty(server.TemporaryFiles());
            var models = Directory.GetFiles(Path.Combine(server.Workspace, "models"));
            Assert.Equal(["detection.pth"], models.Select(Path.GetFileName));
            using var model = DetectionUNet.LoadEnsemble(models[0])[0];
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    internal static async Task<int> StateAsync(ElephantTestServer server)
    {
        using var response = await server.Client.GetAsync("state/process");
        return (await ElephantTestServer.JsonAsync(response)).GetProperty("state").GetInt32();
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, ElephantTestServer? server = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 60 s. Server log:\n" + string.Join("\n", server?.Logs.Lines ?? []));
            await Task.Delay(20);
        }
    }
}
