using System.Text.Json;
using CellVision.IO.Zarr;
using CellVision.Server.Messaging;
using CellVision.Server.Tests.Infrastructure;

namespace CellVision.Server.Tests;

/// <summary>The client's server check, dataset check, generation and chunked upload, replayed over HTTP.</summary>
public sealed class DatasetEndpointTests
{
    [Fact]
    public async Task StatusPollAnswersAWellFormedArrayAndIsNotLogged()
    {
        await using var server = await ElephantTestServer.StartAsync();
        using var response = await server.Client.GetAsync("state/gpus");
        Assert.Equal(200, (int)response.StatusCode);
        var gpus = await ElephantTestServer.JsonAsync(response);
        Assert.Equal(JsonValueKind.Array, gpus.ValueKind);
        foreach (var gpu in gpus.EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, gpu.GetProperty("id").ValueKind);
            Assert.Equal(JsonValueKind.String, gpu.GetProperty("name").ValueKind);
            Assert.True(gpu.GetProperty("mem_total").GetDouble() >= 0);
            Assert.True(gpu.GetProperty("mem_used").GetDouble() >= 0);
        }

        using var check = await server.PostJsonAsync("dataset/check", ClientJson.Check());
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("/state/gpus", StringComparison.Ordinal));
        Assert.Contains("START POST /dataset/check", server.Logs.Lines);
        Assert.Contains("DONE POST /dataset/check => [200]", server.Logs.Lines);
    }

    [Fact]
    public async Task CheckUploadGenerateCheckAsTheClientDoes()
    {
        await using var server = await ElephantTestServer.StartAsync();
        using (var check = await server.PostJsonAsync("dataset/check", ClientJson.Check()))
        {
            Assert.Equal(200, (int)check.StatusCode);
            var message = (await ElephantTestServer.JsonAsync(check)).GetProperty("message").GetString();
            Assert.Contains("imgs.zarr is not found or broken.", message, StringComparison.Ordinal);
        }

        await server.PrepareTinyDatasetAsync();
        using (var check = await server.PostJsonAsync("dataset/check", ClientJson.Check()))
        {
            Assert.Equal("ready", (await ElephantTestServer.JsonAsync(check)).GetProperty("message").GetString());
        }

        // The uploaded file is stored verbatim: one 10 MiB chunk, padded with zeros after the HDF5 data.
        var stored = Path.Combine(server.Workspace, "datasets", "tiny", "tiny.h5");
        Assert.Equal(10 * 1024 * 1024, new FileInfo(stored).Length);
        Assert.False(File.Exists(Path.Combine(server.Workspace, "datasets", "tiny", "tiny.tmp")));
        var images = ZarrArray.Open(Path.Combine(server.Workspace, "datasets", "tiny", "imgs.zarr"));
        Assert.Equal([3L, 8, 32, 32], images.Shape);
        using var frame = TinyMovie.Frame(1);
        Assert.Equal(frame.Span.ToArray().Select(v => (byte)v), images.Read<byte>(new CellVision.Core.Volumes.Box([1, 0, 0, 0], [1, 8, 32, 32])));
        Assert.Equal(
            [ServerMessages.DatasetProgress(3, 1), ServerMessages.DatasetProgress(3, 2), ServerMessages.DatasetProgress(3, 3)],
            server.Publisher.On(ServerQueues.Dataset));

        using var wrongShape = await server.PostJsonAsync("dataset/check", "{\"dataset_name\":\"tiny\",\"shape\":[3,8,32,31]}");
        Assert.NotEqual("ready", (await ElephantTestServer.JsonAsync(wrongShape)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task RealSampleUploadedInPaddedChunksGeneratesElephantsLayout()
    {
        await using var server = await ElephantTestServer.StartAsync();
        var sample = await File.ReadAllBytesAsync(SharedData.PathOf("elephant-sample-3dt", "sample.h5"));
        await server.UploadAsync("sample", "sample.h5", sample);
        using var generate = await server.PostJsonAsync("dataset/generate", ClientJson.Generate("sample"));
        Assert.Equal(200, (int)generate.StatusCode);
        using var check = await server.PostJsonAsync("dataset/check", "{\"dataset_name\":\"sample\",\"shape\":[5,8,256,256]}");
        Assert.Equal("ready", (await ElephantTestServer.JsonAsync(check)).GetProperty("message").GetString());
        Assert.Equal(5, server.Publisher.On(ServerQueues.Dataset).Count);
    }

    [Fact]
    public async Task CancelledUploadLeavesNothingAndAppendWithoutInitIsRefused()
    {
        await using var server = await ElephantTestServer.StartAsync();
        var fields = new Dictionary<string, string> { ["action"] = "append", ["dataset_name"] = "tiny", ["filename"] = "tiny.h5" };
        using (var append = await server.PostMultipartAsync("upload/image", fields, "file", "elephant1.h5", new byte[16]))
        {
            await ElephantTestServer.ErrorAsync(append, 400);
        }

        fields["action"] = "init";
        using (var init = await server.PostMultipartAsync("upload/image", fields, "file", "elephant1.h5", new byte[16]))
        {
            Assert.Equal(200, (int)init.StatusCode);
        }

        Assert.True(File.Exists(Path.Combine(server.Workspace, "datasets", "tiny", "tiny.tmp")));
        using (var cancel = await server.PostFormAsync("upload/image", "action=cancel&dataset_name=tiny&filename=tiny.h5"))
        {
            Assert.Equal(200, (int)cancel.StatusCode);
        }

        Assert.Empty(Directory.GetFiles(Path.Combine(server.Workspace, "datasets", "tiny")));
        using (var complete = await server.PostFormAsync("upload/image", "action=complete&dataset_name=tiny&filename=tiny.h5"))
        {
            await ElephantTestServer.ErrorAsync(complete, 400);
        }

        using var unknown = await server.PostFormAsync("upload/image", "action=resume&dataset_name=tiny&filename=tiny.h5");
        Assert.Equal("unknown action: resume", await ElephantTestServer.ErrorAsync(unknown, 400));
    }

    [Fact]
    public async Task TwoDimensionalDataAreRefusedWithAMessageTheClientShows()
    {
        await using var server = await ElephantTestServer.StartAsync();
        using var check = await server.PostJsonAsync("dataset/check", "{\"dataset_name\":\"flat\",\"shape\":[3,32,32]}");
        Assert.StartsWith("2-D+t datasets are not supported", (await ElephantTestServer.JsonAsync(check)).GetProperty("message").GetString(), StringComparison.Ordinal);
        using var generate = await server.PostJsonAsync("dataset/generate", "{\"dataset_name\":\"flat\",\"is_2d\":true}");
        Assert.StartsWith("2-D+t datasets are not supported", await ElephantTestServer.ErrorAsync(generate, 500), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndpointsCanLiveBelowThePathOfTheClientsServerUrl()
    {
        await using var server = await ElephantTestServer.StartAsync(prefix: "/elephant");
        using var below = await server.Client.GetAsync("elephant/state/gpus");
        Assert.Equal(200, (int)below.StatusCode);
        using var check = await server.PostJsonAsync("elephant/dataset/check", ClientJson.Check());
        Assert.Equal(200, (int)check.StatusCode);
        using var root = await server.Client.GetAsync("state/gpus");
        Assert.Equal(404, (int)root.StatusCode);
    }
}
