using System.Text.RegularExpressions;
using CellVision.Server.Tests.Infrastructure;

namespace CellVision.Server.Tests.Status;

/// <summary>The status page in a real browser: its script fetches status.json and fills in the state, job, loss curve and log.</summary>
public sealed partial class StatusPageBrowserTests
{
    [ChromiumFact]
    public async Task ThePageShowsARunningTrainingItsLossAndTheLog()
    {
        await using var server = await ElephantTestServer.StartAsync();
        await server.PrepareTinyDatasetAsync();
        var training = server.PostJsonAsync("seg/train", ClientJson.Train("[]", live: true));
        await DetectionWorkflowTests.WaitUntilAsync(async () => await DetectionWorkflowTests.StateAsync(server) == 1, server);
        using (var update = await server.PostJsonAsync("seg/update", ClientJson.Update(ClientJson.TinySpots(0), live: true)))
        {
            Assert.Equal(200, (int)update.StatusCode);
        }

        await DetectionWorkflowTests.WaitUntilAsync(async () => (await StatusPageTests.StatusAsync(server)).GetProperty("job").GetProperty("losses").GetArrayLength() > 0, server);

        var dom = await HeadlessChromium.DumpDomAsync(server.Client.BaseAddress!);

        Assert.Matches("<span id=\"state\" class=\"state RUN\">RUN</span>", dom);
        Assert.Contains("<td id=\"job-name\">POST /seg/train</td>", dom, StringComparison.Ordinal);
        Assert.Contains("<td id=\"job-epoch\">1 of open-ended (live)</td>", dom, StringComparison.Ordinal);
        var points = LossPoints().Match(dom);
        Assert.True(points.Success, "no loss polyline in the page:\n" + dom);
        Assert.Matches(@"^\d+(\.\d)?,\d+(\.\d)?( \d+(\.\d)?,\d+(\.\d)?)*$", points.Groups[1].Value);
        Assert.Matches("<td id=\"job-loss\">[0-9.e+-]+</td>", dom);
        Assert.Contains("START POST /seg/train</div>", dom, StringComparison.Ordinal);
        Assert.Contains("Train Epoch: 1 of 0 (0 = live)", dom, StringComparison.Ordinal);
        using (var gpus = await server.Client.GetAsync("state/gpus"))
        {
            var device = (await ElephantTestServer.JsonAsync(gpus))[0].GetProperty("name").GetString();
            Assert.Contains($"<td>{device}</td>", dom, StringComparison.Ordinal);
        }

        Assert.Contains("<div id=\"error\"></div>", dom, StringComparison.Ordinal);

        using (var abort = await server.PostJsonAsync("state/process", "{\"state\":0}"))
        {
            Assert.Equal(200, (int)abort.StatusCode);
        }

        using var trained = await training;
        Assert.Equal("{\"completed\":false}", await trained.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("<polyline id=\"loss-line\"[^>]* points=\"([^\"]+)\"")]
    private static partial Regex LossPoints();
}
