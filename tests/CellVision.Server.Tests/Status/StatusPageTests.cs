using System.Text.Json;
using CellVision.Server.Tests.Infrastructure;

namespace CellVision.Server.Tests.Status;

/// <summary>The status page at <c>/</c> and the JSON it polls, during and after a training.</summary>
public sealed class StatusPageTests
{
    [Fact]
    public async Task StatusJsonFollowsATrainingFromRunToCompleted()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        var idle = await StatusAsync(server);
        Assert.Equal("IDLE", idle.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, idle.GetProperty("job").ValueKind);

        var training = server.PostJsonAsync("seg/train", ClientJson.Train(ClientJson.TinySpots(0, 1), epochs: 3));
        JsonElement running = default;
        await DetectionWorkflowTests.WaitUntilAsync(async () =>
        {
            running = await StatusAsync(server);
            return training.IsCompleted || (running.GetProperty("state").GetString() == "RUN" && running.GetProperty("job").GetProperty("losses").GetArrayLength() > 0);
        }, server);
        Assert.False(training.IsCompleted, "the training ended before the status showed it running");
        var job = running.GetProperty("job");
        Assert.Equal("POST /seg/train", job.GetProperty("name").GetString());
        Assert.Equal("running", job.GetProperty("outcome").GetString());
        Assert.Equal(3, job.GetProperty("epochs").GetInt32());
        Assert.InRange(job.GetProperty("epoch").GetInt32(), 1, 3);
        Assert.Contains(running.GetProperty("logs").EnumerateArray(), l => l.GetProperty("message").GetString() == "START POST /seg/train");

        using (var trained = await training)
        {
            Assert.Equal("{\"completed\":true}", await trained.Content.ReadAsStringAsync());
        }

        var done = await StatusAsync(server);
        Assert.Equal("IDLE", done.GetProperty("state").GetString());
        job = done.GetProperty("job");
        Assert.Equal("completed", job.GetProperty("outcome").GetString());
        Assert.Equal(3, job.GetProperty("epoch").GetInt32());
        var steps = job.GetProperty("steps").GetInt32();
        Assert.Equal(steps, job.GetProperty("step").GetInt32());
        var losses = job.GetProperty("losses").EnumerateArray().ToList();
        Assert.InRange(losses.Count, 1, 3 * steps);
        Assert.All(losses, p => Assert.True(double.IsFinite(p[1].GetDouble())));
        var numbers = losses.Select(p => p[0].GetInt64()).ToList();
        Assert.Equal(numbers.Order().Distinct(), numbers);
        Assert.InRange(numbers[^1], numbers.Count, 3 * steps);
        var logs = done.GetProperty("logs").EnumerateArray().Select(l => l.GetProperty("message").GetString()!).ToList();
        Assert.Equal(3, logs.Count(m => m.StartsWith("Train Epoch: ", StringComparison.Ordinal)));
        Assert.Contains("DONE POST /seg/train => [200]", logs);
        Assert.DoesNotContain(logs, m => m.Contains("/status.json", StringComparison.Ordinal));

        using var gpus = await server.Client.GetAsync("state/gpus");
        var expected = await ElephantTestServer.JsonAsync(gpus);
        var device = done.GetProperty("device");
        Assert.Equal(expected.GetArrayLength(), device.GetProperty("gpus").GetArrayLength());
        Assert.Equal(expected[0].GetProperty("name").GetString(), device.GetProperty("gpus")[0].GetProperty("name").GetString());
        Assert.True(device.GetProperty("torch_threads").GetInt32() >= 1);
        Assert.Contains(device.GetProperty("device").GetString(), new[] { "cpu", "cuda" });
    }

    [Fact]
    public async Task AnAbortedTrainingIsShownAsAborted()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        var training = server.PostJsonAsync("seg/train", ClientJson.Train("[]", live: true));
        await DetectionWorkflowTests.WaitUntilAsync(async () => await DetectionWorkflowTests.StateAsync(server) == 1, server);
        using (var abort = await server.PostJsonAsync("state/process", "{\"state\":0}"))
        {
            Assert.Equal(200, (int)abort.StatusCode);
        }

        using var trained = await training;
        var job = (await StatusAsync(server)).GetProperty("job");
        Assert.Equal("aborted", job.GetProperty("outcome").GetString());
        Assert.Equal(0, job.GetProperty("epochs").GetInt32());
        Assert.Equal(JsonValueKind.String, job.GetProperty("ended").ValueKind);
    }

    [Fact]
    public async Task ThePageIsOneSelfContainedHtmlDocument()
    {
        await using var server = await ElephantTestServer.StartAsync();
        using var response = await server.Client.GetAsync(string.Empty);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("fetch(\"status.json\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePageFollowsTheEndpointPrefix()
    {
        await using var server = await ElephantTestServer.StartAsync(prefix: "/elephant");
        using var page = await server.Client.GetAsync("elephant/");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        using var status = await server.Client.GetAsync("elephant/status.json");
        Assert.Equal("IDLE", (await ElephantTestServer.JsonAsync(status)).GetProperty("state").GetString());
    }

    internal static async Task<JsonElement> StatusAsync(ElephantTestServer server)
    {
        using var response = await server.Client.GetAsync("status.json");
        Assert.Equal(200, (int)response.StatusCode);
        return await ElephantTestServer.JsonAsync(response);
    }
}
