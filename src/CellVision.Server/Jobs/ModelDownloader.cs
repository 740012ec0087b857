using System.Net;
using CellVision.Server.Http;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Jobs;

/// <summary>
/// Downloads a model file over HTTP or HTTPS for the "Versatile" and "From URL" model resets, as ELEPHANT's
/// <c>torch.hub.load_state_dict_from_url</c> does: the body is streamed into a scratch file, which the caller checks
/// and renames into place. A URL that cannot be reached, an answer other than 2xx or a body cut short fails with a
/// 500 error naming the URL, and the scratch file is deleted.
/// </summary>
internal sealed partial class ModelDownloader(ILogger<ModelDownloader> logger) : IDisposable
{
    private readonly HttpClient client = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30), AutomaticDecompression = DecompressionMethods.All })
    {
        // Model files are tens of megabytes; the abort token, not a fixed timeout, ends a slow download.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Checks that a request's <c>url</c> is an absolute http or https URL.</summary>
    /// <param name="url">The request's <c>url</c>.</param>
    /// <returns>The URL.</returns>
    /// <exception cref="ElephantRequestException">500: not an http or https URL.</exception>
    public static Uri Parse(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        throw new ElephantRequestException($"url '{url}' is not an http or https URL (nor Versatile, nor null for the default initialisation)", 500);
    }

    /// <summary>Downloads <paramref name="url"/> into <paramref name="destination"/> (created or replaced).</summary>
    /// <param name="url">The model's URL.</param>
    /// <param name="destination">The scratch file.</param>
    /// <param name="cancellationToken">Stops the download (abort); the scratch file is deleted.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ElephantRequestException">500: the URL is unreachable, answered an error or the body was cut short.</exception>
    public async Task<long> DownloadAsync(Uri url, string destination, CancellationToken cancellationToken)
    {
        Log.Downloading(logger, url);
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ElephantRequestException($"downloading {url} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}", 500);
            }

            long written;
            var output = File.Create(destination);
            await using (output.ConfigureAwait(false))
            {
                await response.Content.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                written = output.Length;
            }

            if (response.Content.Headers.ContentLength is long expected && expected != written)
            {
                throw new ElephantRequestException($"downloading {url} failed: {written} of {expected} bytes arrived", 500);
            }

            Log.Downloaded(logger, url, written);
            return written;
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            File.Delete(destination);
            throw new ElephantRequestException($"downloading {url} failed: {exception.Message}", 500);
        }
        catch
        {
            File.Delete(destination);
            throw;
        }
    }

    /// <summary>Closes the HTTP connections.</summary>
    public void Dispose() => client.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 9600, Level = LogLevel.Information, Message = "Downloading the model {Url}")]
        public static partial void Downloading(ILogger logger, Uri url);

        [LoggerMessage(EventId = 9601, Level = LogLevel.Information, Message = "Downloaded the model {Url}: {Bytes} bytes")]
        public static partial void Downloaded(ILogger logger, Uri url, long bytes);
    }
}
