using System.Collections.Concurrent;
using CellVision.Server.Messaging;

namespace CellVision.Server.Tests.Infrastructure;

/// <summary>Keeps every published message, in order.</summary>
internal sealed class RecordingPublisher : IServerMessagePublisher
{
    private readonly ConcurrentQueue<(string Queue, string Body)> messages = new();

    public IReadOnlyList<(string Queue, string Body)> Messages => [.. messages];

    public IReadOnlyList<string> On(string queue) => [.. messages.Where(m => m.Queue == queue).Select(m => m.Body)];

    public ValueTask PublishAsync(string queue, string body, CancellationToken cancellationToken = default)
    {
        messages.Enqueue((queue, body));
        return ValueTask.CompletedTask;
    }
}
