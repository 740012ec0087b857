using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using CellVision.Server.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Tests.Infrastructure;

/// <summary>
/// The real server (Kestrel on 127.0.0.1, a free port) over a temporary workspace, and an HTTP client that sends what
/// the ELEPHANT client sends: JSON with exactly <c>Content-Type: application/json</c>, multipart bodies whose parts are
/// sorted by name and carry only a Content-Disposition, and form-urlencoded bodies for fields without a file.
/// </summary>
internal sealed class ElephantTestServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TemporaryFolder folder;

    private ElephantTestServer(WebApplication app, TemporaryFolder folder, RecordingPublisher publisher, RecordingLoggerProvider logs, Uri address)
    {
        this.app = app;
        this.folder = folder;
        Publisher = publisher;
        Logs = logs;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
    }

    public HttpClient Client { get; }

    public RecordingPublisher Publisher { get; }

    public RecordingLoggerProvider Logs { get; }

    public string Workspace => folder.Path;

    public IServiceProvider Services => app.Services;

    /// <summary>Starts the server; with <paramref name="broker"/> it publishes to that RabbitMQ broker, as `serve --rabbitmq` does, instead of recording.</summary>
    /// <param name="pretrainedModels">Where the Versatile reset downloads from; null for the default address.</param>
    public static async Task<ElephantTestServer> StartAsync(int? seed = 1, string prefix = "", Uri? broker = null, Uri? pretrainedModels = null)
    {
        var folder = new TemporaryFolder();
        var publisher = new RecordingPublisher();
        var logs = new RecordingLoggerProvider();
        var options = new ElephantServerOptions { WorkspaceDirectory = folder.Path, Urls = "http://127.0.0.1:0", Seed = seed, RabbitMq = broker };
        if (pretrainedModels is not null)
        {
            options.PretrainedModels = pretrainedModels;
        }

        var builder = ElephantServer.CreateBuilder(options, broker is null ? publisher : null);
        if (broker is null)
        {
            builder.Logging.ClearProviders();
        }

        builder.Logging.AddProvider(logs);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, StatusLoggerProvider>());
        var app = builder.Build();
        app.MapElephantEndpoints(prefix);
        app.MapElephantStatusPage(prefix);
        app.MapOpenApi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ElephantTestServer(app, folder, publisher, logs, new Uri(address + "/"));
    }

    /// <summary>POST with a JSON body, <c>Content-Type: application/json</c> and no charset (minimal-json + Unirest).</summary>
    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, CancellationToken cancellationToken = default)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Client.PostAsync(path, content, cancellationToken);
    }

    /// <summary>POST multipart/form-data as Apache httpmime's browser-compatible mode: parts sorted by name, only Content-Disposition.</summary>
    public Task<HttpResponseMessage> PostMultipartAsync(string path, IReadOnlyDictionary<string, string> fields, string fileField, string fileName, byte[] file)
    {
        var boundary = "elephantboundary" + Guid.NewGuid().ToString("N");
        var body = new MemoryStream();
        void Text(string s) => body.Write(Encoding.UTF8.GetBytes(s));
        var parts = fields.Keys.Append(fileField).Order(StringComparer.Ordinal);
        foreach (var name in parts)
        {
            Text($"--{boundary}\r\n");
            if (name == fileField)
            {
                Text($"Content-Disposition: form-data; name=\"{name}\"; filename=\"{fileName}\"\r\n\r\n");
                body.Write(file);
            }
            else
            {
                Text($"Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{fields[name]}");
            }

            Text("\r\n");
        }

        Text($"--{boundary}--\r\n");
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        return Client.PostAsync(path, content);
    }

    /// <summary>POST application/x-www-form-urlencoded (a Unirest field request without a file).</summary>
    public Task<HttpResponseMessage> PostFormAsync(string path, string body)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return Client.PostAsync(path, content);
    }

    /// <summary>Uploads a file as the client's UploadAction: 10 MiB chunks, the last padded with the previous chunk's bytes.</summary>
    public async Task UploadAsync(string datasetName, string fileName, byte[] data)
    {
        const int ChunkSize = 10 * 1024 * 1024;
        var buffer = new byte[ChunkSize];
        for (var offset = 0; offset < data.Length; offset += ChunkSize)
        {
            data.AsSpan(offset, Math.Min(ChunkSize, data.Length - offset)).CopyTo(buffer);
            var fields = new Dictionary<string, string> { ["action"] = offset == 0 ? "init" : "append", ["dataset_name"] = datasetName, ["filename"] = fileName };
            using var response = await PostMultipartAsync("upload/image", fields, "file", "elephant123456789.h5", buffer);
            Assert.Equal(200, (int)response.StatusCode);
        }

        using var complete = await PostFormAsync("upload/image", $"action=complete&dataset_name={datasetName}&filename={fileName}");
        Assert.Equal(200, (int)complete.StatusCode);
    }

    /// <summary>The client's dataset sequence for <see cref="TinyMovie"/>: generate → 204 → upload → generate → 200.</summary>
    public async Task PrepareTinyDatasetAsync()
    {
        using (var first = await PostJsonAsync("dataset/generate", ClientJson.Generate()))
        {
            Assert.Equal(204, (int)first.StatusCode);
        }

        await UploadAsync("tiny", "tiny.h5", TinyMovie.Hdf5());
        using var second = await PostJsonAsync("dataset/generate", ClientJson.Generate());
        Assert.Equal(200, (int)second.StatusCode);
    }

    /// <summary>Reads a reply's JSON.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts a 400/500 reply with a JSON string <c>error</c> and returns the error.</summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        var json = await JsonAsync(response);
        Assert.Equal(JsonValueKind.String, json.GetProperty("error").ValueKind);
        return json.GetProperty("error").GetString()!;
    }

    /// <summary>Stops the host as Ctrl+C does (ApplicationStopping, then Kestrel drains the open requests).</summary>
    public Task StopAsync() => app.StopAsync();

    /// <summary>Files that a write in progress leaves (<c>.saving</c>, <c>.upload</c> and <c>.download</c> models, <c>.tmp</c> uploads, <c>.partial</c> Zarr chunks), anywhere in the workspace.</summary>
    public string[] TemporaryFiles() =>
        [.. Directory.EnumerateFiles(Workspace, "*", SearchOption.AllDirectories).Where(f => new[] { ".saving", ".upload", ".download", ".tmp", ".partial" }.Any(suffix => f.EndsWith(suffix, StringComparison.Ordinal)))];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        folder.Dispose();
    }
}
