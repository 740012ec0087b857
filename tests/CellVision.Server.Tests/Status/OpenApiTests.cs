using System.Text.Json;
using CellVision.Server.Tests.Infrastructure;

namespace CellVision.Server.Tests.Status;

/// <summary>The OpenAPI document lists every ELEPHANT endpoint with a summary and a description.</summary>
public sealed class OpenApiTests
{
    /// <summary>The endpoints of the contract's §2, with their methods.</summary>
    private static readonly (string Path, string Method)[] ElephantEndpoints =
    [
        ("/state/gpus", "get"), ("/state/process", "post"), ("/state/process", "get"),
        ("/dataset/check", "post"), ("/dataset/generate", "post"), ("/upload/image", "post"),
        ("/seg/update", "post"), ("/seg/train", "post"), ("/seg/predict", "post"), ("/seg/reset", "post"),
        ("/flow/update", "post"), ("/flow/train", "post"), ("/params", "post"), ("/flow/predict", "post"),
        ("/flow/reset", "post"), ("/download/model", "post"), ("/download/ctc", "post"),
    ];

    [Fact]
    public async Task TheDocumentListsEveryElephantEndpointWithASummary()
    {
        await using var server = await ElephantTestServer.StartAsync();
        using var response = await server.Client.GetAsync("openapi/v1.json");
        Assert.Equal(200, (int)response.StatusCode);
        var document = await ElephantTestServer.JsonAsync(response);
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal("CellVision ELEPHANT server", document.GetProperty("info").GetProperty("title").GetString());
        var paths = document.GetProperty("paths");
        foreach (var (path, method) in ElephantEndpoints)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing from the OpenAPI document");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} is missing from the OpenAPI document");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{path} has no summary");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("description").GetString()), $"{path} has no description");
        }

        Assert.True(paths.GetProperty("/status.json").TryGetProperty("get", out _));
        Assert.Equal(JsonValueKind.Object, paths.GetProperty("/").GetProperty("get").ValueKind);
    }
}
