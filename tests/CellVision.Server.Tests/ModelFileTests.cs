using CellVision.Detection;
using CellVision.Server.Tests.Infrastructure;

namespace CellVision.Server.Tests;

/// <summary>Model reset (Default, From file) and model download; the downloading resets are in <see cref="ModelDownloadTests"/>.</summary>
public sealed class ModelFileTests
{
    internal const string ResetDefault = "{\"dataset_name\":\"tiny\",\"scales\":[1,1,2],\"n_crops\":5,\"crop_size\":[256,256,16],\"model_name\":\"detection.pth\",\"n_keep_axials\":1,\"is_3d\":true,\"cache_maxbytes\":1073741824,\"url\":null}";

    [Fact]
    public async Task DefaultResetThenDownloadGivesTheModelFile()
    {
        await using var server = await ElephantTestServer.StartAsync();
        using (var missing = await server.PostJsonAsync("download/model", "{\"model_name\":\"detection.pth\"}"))
        {
            Assert.Equal(204, (int)missing.StatusCode);
        }

        using (var reset = await server.PostJsonAsync("seg/reset", ResetDefault))
        {
            Assert.Equal("{\"completed\":true}", await reset.Content.ReadAsStringAsync());
        }

        var path = Path.Combine(server.Workspace, "models", "detection.pth");
        using (DetectionUNet.LoadEnsemble(path)[0])
        {
        }

        using var download = await server.PostJsonAsync("download/model", "{\"model_name\":\"detection.pth\"}");
        Assert.Equal(200, (int)download.StatusCode);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(path), await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ResetFromFileInstallsAStateDictAndRefusesAnythingElse()
    {
        await using var server = await ElephantTestServer.StartAsync();
        using (var reset = await server.PostJsonAsync("seg/reset", ResetDefault.Replace("detection.pth", "source.pth", StringComparison.Ordinal)))
        {
            Assert.Equal(200, (int)reset.StatusCode);
        }

        var source = await File.ReadAllBytesAsync(Path.Combine(server.Workspace, "models", "source.pth"));
        var fields = new Dictionary<string, string> { ["data"] = ResetDefault };
        using (var upload = await server.PostMultipartAsync("seg/reset", fields, "file", "my-model.pth", source))
        {
            Assert.Equal("{\"completed\":true}", await upload.Content.ReadAsStringAsync());
        }

        var installed = Path.Combine(server.Workspace, "models", "detection.pth");
        Assert.Equal(source, await File.ReadAllBytesAsync(installed));

        // Not a state dict: refused, the installed model stays as it was, no scratch file is left.
        using (var garbage = await server.PostMultipartAsync("seg/reset", fields, "file", "notes.pth", "this is not a pth file"u8.ToArray()))
        {
            Assert.Contains("notes.pth is not a detection model state dict", await ElephantTestServer.ErrorAsync(garbage, 500), StringComparison.Ordinal);
        }

        Assert.Equal(source, await File.ReadAllBytesAsync(installed));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(server.Workspace, "models")).Length);
        Assert.Equal(0, await DetectionWorkflowTests.StateAsync(server));
    }

    [Fact]
    public async Task DefaultResetWithADatasetTrainsTheSelfSupervisedPriorInThreeSavedRuns()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        var body = ResetDefault.Replace("\"n_crops\":5,\"crop_size\":[256,256,16]", "\"n_crops\":1,\"crop_size\":[32,32,8]", StringComparison.Ordinal);
        using (var reset = await server.PostJsonAsync("seg/reset", body))
        {
            Assert.Equal("{\"completed\":true}", await reset.Content.ReadAsStringAsync());
        }

        Assert.Equal(3, server.Publisher.On(CellVision.Server.Messaging.ServerQueues.Update).Count);
        Assert.Equal(3, server.Logs.Lines.Count(l => l.StartsWith("Prior training run at learning rate", StringComparison.Ordinal)));
        using (DetectionUNet.LoadEnsemble(Path.Combine(server.Workspace, "models", "detection.pth"))[0])
        {
        }

        Assert.Equal(0, await DetectionWorkflowTests.StateAsync(server));
        var job = (await Status.StatusPageTests.StatusAsync(server)).GetProperty("job");
        Assert.Equal("POST /seg/reset (prior)", job.GetProperty("name").GetString());
        Assert.Equal("completed", job.GetProperty("outcome").GetString());
        Assert.Equal((3, 3), (job.GetProperty("epoch").GetInt32(), job.GetProperty("epochs").GetInt32()));
        Assert.NotEqual(0, job.GetProperty("losses").GetArrayLength());
    }
}
