using System.Net.Http.Headers;
using System.Text;
using CellVision.Server.Tests.Infrastructure;

namespace CellVision.Server.Tests;

/// <summary>Malformed and hostile requests get 400/500 with a JSON string <c>error</c>, write nothing, and the server keeps serving.</summary>
public sealed class BadInputTests
{
    [Theory]
    [InlineData("dataset/check", "{\"dataset_name\":\"tiny\",", 400)]
    [InlineData("dataset/check", "[1,2]", 400)]
    [InlineData("dataset/check", "{\"shape\":[3,8,32,32]}", 400)]
    [InlineData("dataset/check", "{\"dataset_name\":7,\"shape\":[3,8,32,32]}", 400)]
    [InlineData("dataset/check", "{\"dataset_name\":\"tiny\",\"shape\":\"3\"}", 400)]
    [InlineData("dataset/generate", "{\"dataset_name\":null}", 400)]
    [InlineData("seg/predict", "{\"dataset_name\":\"tiny\",\"model_name\":\"detection.pth\",\"scales\":[1,1,2],\"timepoint\":\"zero\"}", 400)]
    [InlineData("seg/predict", "{\"dataset_name\":\"tiny\",\"model_name\":\"detection.pth\",\"scales\":[1,1,2],\"timepoint\":0.5}", 400)]
    [InlineData("seg/predict", "{\"dataset_name\":\"missing\",\"model_name\":\"detection.pth\",\"scales\":[1,1,2],\"timepoint\":0}", 400)]
    [InlineData("seg/train", "{\"dataset_name\":\"tiny\",\"n_crops\":0,\"spots\":[]}", 400)]
    [InlineData("seg/update", "{\"dataset_name\":\"tiny\",\"scales\":[1,1,2],\"spots\":[{\"t\":0,\"pos\":[1,2],\"covariance\":[1,0,0,0,1,0,0,0,1],\"tag\":\"tp\"}]}", 400)]
    [InlineData("seg/update", "{\"dataset_name\":\"tiny\",\"scales\":[1,1,2],\"spots\":[{\"t\":0,\"pos\":[1,2,3],\"covariance\":[1,0,0,0,1,0,0,0,1],\"tag\":\"xx\"}]}", 400)]
    [InlineData("state/process", "{\"state\":5}", 400)]
    [InlineData("state/process", "{\"state\":\"0\"}", 400)]
    [InlineData("params", "{\"lr\":-1,\"n_crops\":5}", 400)]
    [InlineData("params", "{\"lr\":0.001,\"n_crops\":1.5}", 400)]
    [InlineData("download/ctc", "{\"dataset_name\":\"tiny\",\"scales\":[1,1,2],\"spots\":[],\"t_start\":3,\"t_end\":1}", 500)]
    [InlineData("flow/train", "{}", 400)]
    [InlineData("flow/predict", "{\"dataset_name\":\"tiny\",\"model_name\":\"flow.pth\",\"scales\":[1,1,2],\"timepoint\":0,\"spots\":[]}", 400)]
    public async Task BadRequestsGetAnErrorAndTheServerKeepsServing(string path, string body, int status)
    {
        await using var server = await ElephantTestServer.StartAsync();
        using var response = await server.PostJsonAsync(path, body);
        var error = await ElephantTestServer.ErrorAsync(response, status);
        Assert.NotEmpty(error);
        using var gpus = await server.Client.GetAsync("state/gpus");
        Assert.Equal(200, (int)gpus.StatusCode);
        Assert.Equal(0, await DetectionWorkflowTests.StateAsync(server));
    }

    [Fact]
    public async Task WrongContentTypeIsRefused()
    {
        await using var server = await ElephantTestServer.StartAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(ClientJson.Check()));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var response = await server.Client.PostAsync("dataset/check", content);
        Assert.Equal("Content-Type should be application/json", await ElephantTestServer.ErrorAsync(response, 400));

        // With a charset parameter JSON is accepted.
        var withCharset = new StringContent(ClientJson.Check(), Encoding.UTF8, "application/json");
        using var accepted = await server.Client.PostAsync("dataset/check", withCharset);
        Assert.Equal(200, (int)accepted.StatusCode);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\\\b")]
    [InlineData("/etc")]
    [InlineData("")]
    public async Task NamesThatLeaveTheWorkspaceAreRefusedAndNothingIsWritten(string name)
    {
        await using var server = await ElephantTestServer.StartAsync();
        var parent = Directory.GetParent(server.Workspace)!.FullName;
        string[] escapes = ["outside", "outside.h5", "outside.tmp", "x", "x.h5", "x.tmp", "a", "etc.h5"];
        var before = escapes.Where(e => Path.Exists(Path.Combine(parent, e))).ToList();
        var requests = new (string Path, string Body)[]
        {
            ("dataset/check", $"{{\"dataset_name\":\"{name}\",\"shape\":[3,8,32,32]}}"),
            ("dataset/generate", $"{{\"dataset_name\":\"{name}\",\"is_2d\":false}}"),
            ("seg/update", $"{{\"dataset_name\":\"{name}\",\"reset\":true}}"),
            ("seg/reset", $"{{\"dataset_name\":\"tiny\",\"model_name\":\"{name}\",\"url\":null}}"),
            ("download/model", $"{{\"model_name\":\"{name}\"}}"),
            ("seg/predict", ClientJson.Predict(0, model: name)),
        };
        foreach (var (path, body) in requests)
        {
            using var response = await server.PostJsonAsync(path, body);
            await ElephantTestServer.ErrorAsync(response, 400);
        }

        using (var upload = await server.PostMultipartAsync("upload/image", new Dictionary<string, string> { ["action"] = "init", ["dataset_name"] = "tiny", ["filename"] = name.Length == 0 ? "../x.h5" : name + ".h5" }, "file", "elephant1.h5", new byte[8]))
        {
            await ElephantTestServer.ErrorAsync(upload, 400);
        }

        using (var upload = await server.PostMultipartAsync("upload/image", new Dictionary<string, string> { ["action"] = "init", ["dataset_name"] = name.Length == 0 ? "../x" : name, ["filename"] = "x.h5" }, "file", "elephant1.h5", new byte[8]))
        {
            await ElephantTestServer.ErrorAsync(upload, 400);
        }

        Assert.Equal(before, escapes.Where(e => Path.Exists(Path.Combine(parent, e))));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(server.Workspace, "models")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(server.Workspace, "datasets")));
        using var gpus = await server.Client.GetAsync("state/gpus");
        Assert.Equal(200, (int)gpus.StatusCode);
    }

    [Fact]
    public async Task AnUploadThatIsNotBdvHdf5FailsGenerationWithAnError()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.UploadAsync("junk", "junk.h5", "this is not an HDF5 file"u8.ToArray());
        using var generate = await server.PostJsonAsync("dataset/generate", ClientJson.Generate("junk"));
        Assert.StartsWith("Exception: ", await ElephantTestServer.ErrorAsync(generate, 500), StringComparison.Ordinal);
        using var check = await server.PostJsonAsync("dataset/check", ClientJson.Check("junk"));
        Assert.NotEqual("ready", (await ElephantTestServer.JsonAsync(check)).GetProperty("message").GetString());
    }
}
