using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Tests.Infrastructure;

/// <summary>
/// A web server on 127.0.0.1 (Kestrel, a free port) that serves model files for the download resets: GET
/// <c>/&lt;name&gt;</c> answers the bytes put there, anything else 404; <c>/cut/&lt;name&gt;</c> announces the whole
/// length but sends only half and closes the connection; <c>/slow/&lt;name&gt;</c> sends half and then nothing until the
/// client goes away. Every requested path is recorded.
/// </summary>
internal sealed class ModelFileHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, byte[]> files = new(StringComparer.Ordinal);

    private ModelFileHost(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    /// <summary>The server's address, ending with a slash.</summary>
    public Uri Address { get; }

    /// <summary>The paths requested so far, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<ModelFileHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ModelFileHost? host = null;
        app.MapGet("/{**path}", async (HttpContext context, string path) =>
        {
            host!.Requests.Enqueue("/" + path);
            var cut = path.StartsWith("cut/", StringComparison.Ordinal);
            var slow = path.StartsWith("slow/", StringComparison.Ordinal);
            if (!host.files.TryGetValue(cut ? path[4..] : slow ? path[5..] : path, out var bytes))
            {
                context.Response.StatusCode = 404;
                return;
            }

            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, cut || slow ? bytes.Length / 2 : bytes.Length));
            if (slow)
            {
                await context.Response.Body.FlushAsync();
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            if (cut)
            {
                await context.Response.Body.FlushAsync();
                context.Abort();
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host = new ModelFileHost(app, new Uri(address + "/"));
        return host;
    }

    /// <summary>Serves <paramref name="bytes"/> at <c>/<paramref name="name"/></c>.</summary>
    public Uri Put(string name, byte[] bytes)
    {
        files[name] = bytes;
        return new Uri(Address, name);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
