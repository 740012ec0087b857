namespace CellVision.Server.Messaging;

/// <summary>
/// Sends the server's progress messages to the queues that the ELEPHANT client consumes (<see cref="ServerQueues"/>).
/// </summary>
/// <remarks>
/// Publishing never fails a request: an implementation that cannot reach its broker logs the failure and drops the
/// message, as the client treats the broker as optional.
/// </remarks>
public interface IServerMessagePublisher
{
    /// <summary>Publishes one UTF-8 text message to a queue.</summary>
    /// <param name="queue">The queue name, one of <see cref="ServerQueues"/>.</param>
    /// <param name="body">The message body, as <see cref="ServerMessages"/> builds it.</param>
    /// <param name="cancellationToken">Cancels the publication.</param>
    /// <returns>A task that completes when the message is accepted for delivery (queued, sent or dropped); it never waits on an unreachable broker.</returns>
    ValueTask PublishAsync(string queue, string body, CancellationToken cancellationToken = default);
}
