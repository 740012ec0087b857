using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace CellVision.Server.Tests.Messaging;

/// <summary>The broker the tests run against, from <c>CELLVISION_TEST_RABBITMQ</c>.</summary>
internal static class TestBroker
{
    public const string Variable = "CELLVISION_TEST_RABBITMQ";

    public static Uri? Uri { get; } =
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } text ? new Uri(text) : null;

    public static Uri RequiredUri => Uri ?? throw new InvalidOperationException($"{Variable} is not set.");

    /// <summary>A local TCP port on which nothing listens.</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static async Task<IConnection> ConnectAsync()
    {
        var factory = new ConnectionFactory { Uri = RequiredUri, RequestedHeartbeat = TimeSpan.Zero };
        return await factory.CreateConnectionAsync();
    }
}

/// <summary>A received message: its body and whether it carried any property.</summary>
internal sealed record Delivery(byte[] Body, bool HasProperties);

/// <summary>
/// Consumes queues the way the ELEPHANT client does (each declared non-durable, non-exclusive, not auto-deleted,
/// without arguments; consumed with auto-ack), after emptying them.
/// </summary>
internal sealed class ElephantClientConsumer : IAsyncDisposable
{
    private readonly IConnection connection;
    private readonly IChannel channel;
    private readonly Dictionary<string, Channel<Delivery>> received = new(StringComparer.Ordinal);

    private ElephantClientConsumer(IConnection connection, IChannel channel)
    {
        this.connection = connection;
        this.channel = channel;
    }

    public static async Task<ElephantClientConsumer> StartAsync(params string[] queues)
    {
        var connection = await TestBroker.ConnectAsync();
        var channel = await connection.CreateChannelAsync();
        var consumer = new ElephantClientConsumer(connection, channel);
        foreach (var queue in queues)
        {
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false, arguments: null);
            await channel.QueuePurgeAsync(queue);
            var inbox = Channel.CreateUnbounded<Delivery>();
            consumer.received[queue] = inbox;
            var basicConsumer = new AsyncEventingBasicConsumer(channel);
            basicConsumer.ReceivedAsync += (_, delivery) =>
            {
                var properties = delivery.BasicProperties;
                var hasProperties = properties.IsContentTypePresent() || properties.IsContentEncodingPresent()
                    || properties.IsHeadersPresent() || properties.IsDeliveryModePresent() || properties.IsPriorityPresent()
                    || properties.IsCorrelationIdPresent() || properties.IsReplyToPresent() || properties.IsExpirationPresent()
                    || properties.IsMessageIdPresent() || properties.IsTimestampPresent() || properties.IsTypePresent()
                    || properties.IsUserIdPresent() || properties.IsAppIdPresent();
                inbox.Writer.TryWrite(new Delivery(delivery.Body.ToArray(), hasProperties));
                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(queue, autoAck: true, consumer: basicConsumer);
        }

        return consumer;
    }

    /// <summary>The next <paramref name="count"/> messages of a queue, failing if they do not come within 10 s.</summary>
    public async Task<IReadOnlyList<Delivery>> ReceiveAsync(string queue, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var messages = new List<Delivery>(count);
        try
        {
            while (messages.Count < count)
            {
                messages.Add(await received[queue].Reader.ReadAsync(timeout.Token));
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"queue '{queue}': {messages.Count} of {count} messages arrived within 10 s");
        }

        return messages;
    }

    /// <summary>Asserts that no further message arrives on a queue within a short while.</summary>
    public async Task AssertNoMoreAsync(string queue)
    {
        await Task.Delay(300);
        Assert.False(received[queue].Reader.TryRead(out var extra), $"unexpected message on '{queue}': {(extra is null ? "" : System.Text.Encoding.UTF8.GetString(extra.Body))}");
    }

    public async ValueTask DisposeAsync()
    {
        await channel.CloseAsync();
        await channel.DisposeAsync();
        await connection.CloseAsync();
        await connection.DisposeAsync();
    }
}

/// <summary>Records log entries.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly List<(LogLevel Level, string Message)> entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (entries)
            {
                return [.. entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (entries)
        {
            entries.Add((logLevel, formatter(state, exception)));
        }
    }
}

/// <summary>Keeps every published message, in order.</summary>
internal sealed class RecordingPublisher : CellVision.Server.Messaging.IServerMessagePublisher
{
    private readonly List<(string Queue, string Body)> messages = [];

    public Action? OnPublish { get; set; }

    public IReadOnlyList<(string Queue, string Body)> Messages
    {
        get
        {
            lock (messages)
            {
                return [.. messages];
            }
        }
    }

    public ValueTask PublishAsync(string queue, string body, CancellationToken cancellationToken = default)
    {
        lock (messages)
        {
            messages.Add((queue, body));
        }

        OnPublish?.Invoke();
        return ValueTask.CompletedTask;
    }
}
