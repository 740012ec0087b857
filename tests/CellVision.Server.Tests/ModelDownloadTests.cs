using System.Net;
using System.Net.Sockets;
using CellVision.Detection;
using CellVision.Server.Messaging;
using CellVision.Server.Tests.Infrastructure;

namespace CellVision.Server.Tests;

/// <summary>The model resets that download: Versatile (ELEPHANT's pretrained files) and From URL, from a local web server.</summary>
public sealed class ModelDownloadTests
{
    private const string FlowReset = "{\"model_name\":\"flow.pth\",\"n_keep_axials\":1,\"is_3d\":true,\"url\":null}";

    [Fact]
    public async Task VersatileDetectionResetDownloadsVersatile3dFromTheConfiguredAddress()
    {
        await using var files = await ModelFileHost.StartAsync();
        await using var server = await ElephantTestServer.StartAsync(pretrainedModels: new Uri(files.Address, "releases/download/data"));
        await server.PrepareTinyDatasetAsync();
        var weights = await DefaultModelAsync(server, flow: false);
        files.Put("releases/download/data/versatile3d.pth", weights);

        using (var reset = await server.PostJsonAsync("seg/reset", DetectionReset("\"Versatile\"")))
        {
            Assert.Equal("{\"completed\":true}", await reset.Content.ReadAsStringAsync());
        }

        Assert.Equal(["/releases/download/data/versatile3d.pth"], files.Requests);
        var installed = Path.Combine(server.Workspace, "models", "detection.pth");
        Assert.Equal(weights, await File.ReadAllBytesAsync(installed));
        using (DetectionUNet.LoadEnsemble(installed)[0])
        {
        }

        // The pretrained weights are used as they are: no self-supervised prior although the dataset exists.
        Assert.Empty(server.Publisher.On(ServerQueues.Update));
        Assert.Empty(server.TemporaryFiles());
        Assert.Equal(0, await DetectionWorkflowTests.StateAsync(server));
        var job = (await Status.StatusPageTests.StatusAsync(server)).GetProperty("job");
        Assert.Equal("POST /seg/reset (download)", job.GetProperty("name").GetString());
        Assert.Equal("completed", job.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task VersatileFlowResetDownloadsTheCeFlowModelAnd2DInitialisesRandomly()
    {
        await using var files = await ModelFileHost.StartAsync();
        await using var server = await ElephantTestServer.StartAsync(pretrainedModels: files.Address);
        var weights = await DefaultModelAsync(server, flow: true);
        files.Put("Fluo-N3DH-CE_flow.pth", weights);

        using (var reset = await server.PostJsonAsync("flow/reset", FlowReset.Replace("\"url\":null", "\"url\":\"Versatile\"", StringComparison.Ordinal)))
        {
            Assert.Equal("{\"completed\":true}", await reset.Content.ReadAsStringAsync());
        }

        var installed = Path.Combine(server.Workspace, "models", "flow.pth");
        Assert.Equal(weights, await File.ReadAllBytesAsync(installed));
        Assert.Equal(["/Fluo-N3DH-CE_flow.pth"], files.Requests);

        // ELEPHANT has no 2-D Versatile flow model: a random initialisation, nothing downloaded.
        using (var reset = await server.PostJsonAsync("flow/reset", FlowReset.Replace("\"is_3d\":true,\"url\":null", "\"is_3d\":false,\"url\":\"Versatile\"", StringComparison.Ordinal)))
        {
            Assert.Equal("{\"completed\":true}", await reset.Content.ReadAsStringAsync());
        }

        Assert.Single(files.Requests);
        Assert.NotEqual(weights, await File.ReadAllBytesAsync(installed));
        using (new CellVisionContext().Tracking.LoadFlow(installed))
        {
        }
    }

    [Fact]
    public async Task FromUrlInstallsTheDownloadedModel()
    {
        await using var files = await ModelFileHost.StartAsync();
        await using var server = await ElephantTestServer.StartAsync();
        var detection = files.Put("models/my-detection.pth", await DefaultModelAsync(server, flow: false));
        var flow = files.Put("models/my-flow.pth", await DefaultModelAsync(server, flow: true));

        using (var reset = await server.PostJsonAsync("seg/reset", DetectionReset($"\"{detection}\"")))
        {
            Assert.Equal("{\"completed\":true}", await reset.Content.ReadAsStringAsync());
        }

        using (var reset = await server.PostJsonAsync("flow/reset", FlowReset.Replace("null", $"\"{flow}\"", StringComparison.Ordinal)))
        {
            Assert.Equal("{\"completed\":true}", await reset.Content.ReadAsStringAsync());
        }

        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(server.Workspace, "models", "source.pth")), await File.ReadAllBytesAsync(Path.Combine(server.Workspace, "models", "detection.pth")));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(server.Workspace, "models", "flow-source.pth")), await File.ReadAllBytesAsync(Path.Combine(server.Workspace, "models", "flow.pth")));
        Assert.Equal(["/models/my-detection.pth", "/models/my-flow.pth"], files.Requests);
        Assert.Empty(server.TemporaryFiles());
    }

    [Fact]
    public async Task FailedDownloadsAreReportedAndKeepThePreviousModel()
    {
        await using var files = await ModelFileHost.StartAsync();
        await using var server = await ElephantTestServer.StartAsync(pretrainedModels: files.Address);
        var detectionWeights = await DefaultModelAsync(server, flow: false);
        var flowWeights = await DefaultModelAsync(server, flow: true);
        var model = Path.Combine(server.Workspace, "models", "detection.pth");
        File.Copy(Path.Combine(server.Workspace, "models", "source.pth"), model);
        var flowModel = files.Put("flow.pth", flowWeights);
        files.Put("model.pth", detectionWeights);
        var notes = files.Put("notes.pth", "this is not a pth file"u8.ToArray());
        var closedPort = ClosedPort();

        (string Url, string Error)[] failures =
        [
            ("Versatile", $"downloading {files.Address}versatile3d.pth failed: HTTP 404 Not Found"),
            ($"{files.Address}missing.pth", $"downloading {files.Address}missing.pth failed: HTTP 404 Not Found"),
            ($"{files.Address}cut/model.pth", $"downloading {files.Address}cut/model.pth failed: "),
            ($"http://127.0.0.1:{closedPort}/model.pth", $"downloading http://127.0.0.1:{closedPort}/model.pth failed: "),
            (notes.ToString(), $"{notes} is not a detection model state dict"),
            (flowModel.ToString(), $"{flowModel} is not a detection model state dict"),
            ("ftp://127.0.0.1/model.pth", "url 'ftp://127.0.0.1/model.pth' is not an http or https URL"),
            ("model.pth", "url 'model.pth' is not an http or https URL"),
        ];
        foreach (var (url, error) in failures)
        {
            using var reset = await server.PostJsonAsync("seg/reset", DetectionReset($"\"{url}\""));
            Assert.StartsWith(error, await ElephantTestServer.ErrorAsync(reset, 500), StringComparison.Ordinal);
            Assert.Equal(detectionWeights, await File.ReadAllBytesAsync(model));
            Assert.Empty(server.TemporaryFiles());
            Assert.Equal(0, await DetectionWorkflowTests.StateAsync(server));
        }
    }

    [Fact]
    public async Task ADownloadHoldsRunAndAbortEndsItKeepingThePreviousModel()
    {
        await using var files = await ModelFileHost.StartAsync();
        await using var server = await ElephantTestServer.StartAsync();
        var weights = await DefaultModelAsync(server, flow: false);
        var model = Path.Combine(server.Workspace, "models", "detection.pth");
        File.Copy(Path.Combine(server.Workspace, "models", "source.pth"), model);
        var slow = files.Put("model.pth", weights);

        var reset = server.PostJsonAsync("seg/reset", DetectionReset($"\"{files.Address}slow/model.pth\""));
        await DetectionWorkflowTests.WaitUntilAsync(() => Task.FromResult(files.Requests.Contains("/slow/model.pth")));
        Assert.Equal(1, await DetectionWorkflowTests.StateAsync(server));
        using (var second = await server.PostJsonAsync("flow/reset", FlowReset.Replace("null", $"\"{slow}\"", StringComparison.Ordinal)))
        {
            Assert.Equal("Process is running", await ElephantTestServer.ErrorAsync(second, 500));
        }

        using (var abort = await server.PostJsonAsync("state/process", "{\"state\":0}"))
        {
            Assert.Equal(200, (int)abort.StatusCode);
        }

        using (var response = await reset)
        {
            Assert.Equal("{\"completed\":false}", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(weights, await File.ReadAllBytesAsync(model));
        Assert.Empty(server.TemporaryFiles());
        Assert.Equal(0, await DetectionWorkflowTests.StateAsync(server));
        var job = (await Status.StatusPageTests.StatusAsync(server)).GetProperty("job");
        Assert.Equal("aborted", job.GetProperty("outcome").GetString());
    }

    private static string DetectionReset(string url) => ModelFileTests.ResetDefault.Replace("\"url\":null", $"\"url\":{url}", StringComparison.Ordinal);

    /// <summary>A randomly initialised model written by a Default reset (<c>source.pth</c> or <c>flow-source.pth</c>), as bytes.</summary>
    private static async Task<byte[]> DefaultModelAsync(ElephantTestServer server, bool flow)
    {
        var name = flow ? "flow-source.pth" : "source.pth";
        var body = flow ? FlowReset.Replace("flow.pth", name, StringComparison.Ordinal) : "{\"model_name\":\"source.pth\",\"url\":null}";
        using var reset = await server.PostJsonAsync(flow ? "flow/reset" : "seg/reset", body);
        Assert.Equal("{\"completed\":true}", await reset.Content.ReadAsStringAsync());
        return await File.ReadAllBytesAsync(Path.Combine(server.Workspace, "models", name));
    }

    /// <summary>A loopback port nothing listens on.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
