using CellVision.Core.Volumes;
using CellVision.IO.Zarr;
using CellVision.Server.Messaging;
using CellVision.Server.Tests.Infrastructure;

namespace CellVision.Server.Tests;

/// <summary>Flow labels, flow training, flow prediction and flow model reset, as the client sends them.</summary>
public sealed class FlowWorkflowTests
{
    // Approved links t → t + 1 of TinyMovie's two nuclei (they move +1 µm in X): target pos, covariance, source t, source − target.
    private static string Links(params int[] sources) => "[" + string.Join(",", sources.SelectMany(t => TinyMovie.Nuclei(t + 1).Select(n =>
        $"{{\"pos\":{ClientJson.Numbers([n.X, n.Y, n.Z])},\"covariance\":[16,0,0,0,16,0,0,0,16],\"t\":{t},\"displacement\":[-1,0,-2]}}"))) + "]";

    [Fact]
    public async Task LabelsTrainingPredictionAndResetOverHttp()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();

        // UpdateFlowLabelsAction sends no n_keep_axials: the Z normaliser comes from the scales (2 µm / 1 µm → 1 level,
        // 80 / 2 = 40), as /flow/train's.
        using (var update = await server.PostJsonAsync("flow/update", $"{{\"dataset_name\":\"tiny\",\"reset\":false,\"max_displacement\":80,\"scales\":[1,1,2],\"spots\":{Links(0)},\"is_3d\":true,\"use_memmap\":true}}"))
        {
            Assert.Equal("{\"completed\":true}", await update.Content.ReadAsStringAsync());
        }

        var labels = ZarrArray.Open(Path.Combine(server.Workspace, "datasets", "tiny", "flow_labels.zarr"));
        var centre = labels.Read<float>(new Box([0, 0, 4, 10, 11], [1, 4, 1, 1, 1]));
        Assert.Equal([-1f / 80, 0f, -1f / 40, 1f], centre);
        Assert.True(labels.ReadAttributes()["updated"]!.GetValue<bool>());

        var train = "{\"dataset_name\":\"tiny\",\"spots\":" + Links(0, 1) + ",\"model_name\":\"flow.pth\",\"debug\":false,\"batch_size\":1,\"n_crops\":1,\"n_epochs\":1,\"lr\":0.001,\"max_displacement\":80," +
            "\"scales\":[1,1,2],\"crop_size\":[32,32,8],\"dim_weights\":[1,1,1],\"n_keep_axials\":1,\"aug_scale_factor_base\":0,\"aug_rotation_angle\":0,\"cache_maxbytes\":1073741824,\"log_interval\":1,\"log_dir\":\"flow_log\",\"is_3d\":true,\"use_memmap\":true,\"input_size\":[32,32,8]}";
        using (var trained = await server.PostJsonAsync("flow/train", train))
        {
            Assert.Equal("{\"completed\":true}", await trained.Content.ReadAsStringAsync());
        }

        Assert.Equal([ServerMessages.ModelUpdated], server.Publisher.On(ServerQueues.Update));
        var queries = "[{\"pos\":[12,10,8],\"covariance\":[16,0,0,0,16,0,0,0,16],\"id\":12},{\"pos\":[24,21,8],\"covariance\":[16,0,0,0,16,0,0,0,16],\"id\":3}]";
        var predict = "{\"dataset_name\":\"tiny\",\"model_name\":\"flow.pth\",\"debug\":false,\"output_prediction\":false,\"max_displacement\":80,\"scales\":[1,1,2],\"n_keep_axials\":1," +
            $"\"cache_maxbytes\":1073741824,\"is_3d\":true,\"use_memmap\":true,\"batch_size\":1,\"input_size\":[32,32,8],\"patch\":[384,384,24],\"timepoint\":2,\"spots\":{queries}}}";
        using (var predicted = await server.PostJsonAsync("flow/predict", predict))
        {
            var reply = await ElephantTestServer.JsonAsync(predicted);
            Assert.True(reply.GetProperty("completed").GetBoolean());
            var spots = reply.GetProperty("spots").EnumerateArray().ToList();
            Assert.Equal([12, 3], spots.Select(s => s.GetProperty("id").GetInt32()));
            foreach (var spot in spots)
            {
                Assert.Equal(3, spot.GetProperty("pos").GetArrayLength());
                Assert.True(spot.GetProperty("sqdisp").GetDouble() >= 0);
            }
        }

        using (var reset = await server.PostJsonAsync("flow/reset", "{\"model_name\":\"flow.pth\",\"n_keep_axials\":1,\"is_3d\":true,\"url\":null}"))
        {
            Assert.Equal("{\"completed\":true}", await reset.Content.ReadAsStringAsync());
        }

        // A detection model is not a flow model.
        using (var detection = await server.PostJsonAsync("seg/reset", "{\"model_name\":\"detection.pth\",\"url\":null}"))
        {
            Assert.Equal(200, (int)detection.StatusCode);
        }

        var fields = new Dictionary<string, string> { ["data"] = "{\"model_name\":\"flow.pth\",\"n_keep_axials\":1,\"is_3d\":true,\"url\":null}" };
        var before = await File.ReadAllBytesAsync(Path.Combine(server.Workspace, "models", "flow.pth"));
        using (var wrong = await server.PostMultipartAsync("flow/reset", fields, "file", "detection.pth", await File.ReadAllBytesAsync(Path.Combine(server.Workspace, "models", "detection.pth"))))
        {
            Assert.Contains("is not a flow model state dict", await ElephantTestServer.ErrorAsync(wrong, 500), StringComparison.Ordinal);
        }

        Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(server.Workspace, "models", "flow.pth")));
        using (var resetLabels = await server.PostJsonAsync("flow/update", "{\"dataset_name\":\"tiny\",\"reset\":true}"))
        {
            Assert.Equal("{\"completed\":true}", await resetLabels.Content.ReadAsStringAsync());
        }

        Assert.Empty(ZarrArray.Open(Path.Combine(server.Workspace, "datasets", "tiny", "flow_labels.zarr")).ReadAttributes());
    }
}
