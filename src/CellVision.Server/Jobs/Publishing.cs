using CellVision.Server.Messaging;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Jobs;

/// <summary>Publishes from the server's worker threads; a failing broker never fails a job.</summary>
internal static partial class Publishing
{
    /// <summary>Publishes one message and waits for it, logging (not throwing) a failure.</summary>
    /// <param name="publisher">The publisher.</param>
    /// <param name="queue">The queue.</param>
    /// <param name="body">The body.</param>
    /// <param name="logger">Receives a failure.</param>
    public static void Publish(this IServerMessagePublisher publisher, string queue, string body, ILogger logger)
    {
        try
        {
            publisher.PublishAsync(queue, body).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Log.PublishFailed(logger, exception, queue);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9200, Level = LogLevel.Warning, Message = "Publishing on the {Queue} queue failed")]
        public static partial void PublishFailed(ILogger logger, Exception exception, string queue);
    }
}
