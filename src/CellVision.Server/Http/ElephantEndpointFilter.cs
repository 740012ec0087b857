using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Http;

/// <summary>
/// Wraps every ELEPHANT endpoint: lifts the request-size limit (uploads, model files and "train all" bodies exceed
/// Kestrel's 30 MB default), logs <c>START &lt;method&gt; &lt;path&gt;</c> and <c>DONE &lt;method&gt; &lt;path&gt; =&gt;
/// [&lt;status&gt;]</c> as ELEPHANT's server does (except for the 1 s <c>/state/gpus</c> poll), and turns every exception
/// into a 400 or 500 reply with a JSON string <c>error</c>, the only error form the client reads.
/// </summary>
internal sealed partial class ElephantEndpointFilter(ILogger<ElephantEndpointFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var method = http.Request.Method;
        var path = http.Request.Path.Value ?? "/";
        var quiet = path.EndsWith("/state/gpus", StringComparison.Ordinal);
        if (!quiet)
        {
            Log.Start(logger, method, path);
            http.Response.OnCompleted(() =>
            {
                Log.Done(logger, method, path, http.Response.StatusCode);
                return Task.CompletedTask;
            });
        }

        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (ElephantRequestException exception)
        {
            Log.Refused(logger, method, path, exception.StatusCode, exception.Message);
            return ElephantResponses.Error(exception.StatusCode, exception.Message);
        }
        catch (BadHttpRequestException exception)
        {
            Log.Refused(logger, method, path, StatusCodes.Status400BadRequest, exception.Message);
            return ElephantResponses.Error(StatusCodes.Status400BadRequest, exception.Message);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Log.Failed(logger, exception, method, path);
            return ElephantResponses.Error(StatusCodes.Status500InternalServerError, $"Exception: {exception.Message}");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9000, Level = LogLevel.Information, Message = "START {Method} {Path}")]
        public static partial void Start(ILogger logger, string method, string path);

        [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "DONE {Method} {Path} => [{Status}]")]
        public static partial void Done(ILogger logger, string method, string path, int status);

        [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "{Method} {Path} refused with {Status}: {Reason}")]
        public static partial void Refused(ILogger logger, string method, string path, int status, string reason);

        [LoggerMessage(EventId = 9003, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
        public static partial void Failed(ILogger logger, Exception exception, string method, string path);
    }
}
