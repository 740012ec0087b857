namespace CellVision.Server.Messaging;

/// <summary>Drops every message: the server's publisher when no broker is configured.</summary>
public sealed class NullServerMessagePublisher : IServerMessagePublisher
{
    /// <summary>The shared instance.</summary>
    public static NullServerMessagePublisher Instance { get; } = new();

    private NullServerMessagePublisher()
    {
    }

    /// <inheritdoc />
    public ValueTask PublishAsync(string queue, string body, CancellationToken cancellationToken = default) =>
        ValueTask.CompletedTask;
}
