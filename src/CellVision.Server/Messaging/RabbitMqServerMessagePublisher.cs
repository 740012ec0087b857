using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace CellVision.Server.Messaging;

/// <summary>
/// Publishes the server's progress messages to a RabbitMQ broker, as the ELEPHANT server does: each queue declared
/// non-durable, non-exclusive, not auto-deleted and without arguments, each message sent to the default exchange with
/// the queue name as routing key, without properties, as UTF-8 text.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="PublishAsync"/> never waits for the broker: it puts the message in a bounded in-memory buffer and returns
/// at once; one background task sends the buffered messages in order over a single connection and channel (the
/// original opened a connection per message). <see cref="FlushAsync"/> waits until the buffer is empty.
/// </para>
/// <para>
/// The broker is optional for the ELEPHANT client, so no broker problem reaches the caller. When the broker cannot be
/// reached the message is dropped and a warning is logged (at most once per
/// <see cref="RabbitMqPublisherOptions.WarningInterval"/>, with the number dropped); the connection is retried
/// lazily, after <see cref="RabbitMqPublisherOptions.RetryDelay"/> doubling up to
/// <see cref="RabbitMqPublisherOptions.MaximumRetryDelay"/>, when a later message arrives. A queue that already exists
/// with other settings cannot be declared: that is logged as an error naming the queue and the broker's reason, and
/// messages to that queue are dropped until a later declaration succeeds.
/// </para>
/// <para>
/// Disposing sends what is still buffered, for at most <see cref="RabbitMqPublisherOptions.DisposeTimeout"/>, and
/// closes the connection.
/// </para>
/// </remarks>
public sealed partial class RabbitMqServerMessagePublisher : IServerMessagePublisher, IAsyncDisposable, IDisposable
{
    private readonly RabbitMqSettings settings;
    private readonly RabbitMqPublisherOptions options;
    private readonly ILogger logger;
    private readonly ConnectionFactory factory;
    private readonly Channel<Item> buffer;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task pump;

    private readonly RateLimiter fullWarnings;
    private readonly RateLimiter unreachableWarnings;

    // Used by the pump only.
    private readonly HashSet<string> declaredQueues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long RetryAt, RateLimiter Errors)> failedQueues = new(StringComparer.Ordinal);
    private IConnection? connection;
    private IChannel? channel;
    private long reconnectAt;
    private TimeSpan retryDelay;
    private bool unreachable;
    private long droppedWhileUnreachable;
    private long undelivered;

    private int disposed;

    /// <summary>Creates a publisher; it connects when the first message is published.</summary>
    /// <param name="settings">The broker (see <see cref="RabbitMqSettings.Parse(Uri)"/>).</param>
    /// <param name="logger">Receives the warnings and errors about the broker; none are logged if <see langword="null"/>.</param>
    /// <param name="options">Buffering, timeouts and warning rate; the defaults of <see cref="RabbitMqPublisherOptions"/> if <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public RabbitMqServerMessagePublisher(
        RabbitMqSettings settings,
        ILogger<RabbitMqServerMessagePublisher>? logger = null,
        RabbitMqPublisherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        options ??= new RabbitMqPublisherOptions();
        options.Validate();
        this.settings = settings;
        this.options = options;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        retryDelay = options.RetryDelay;
        fullWarnings = new RateLimiter(options.WarningInterval);
        unreachableWarnings = new RateLimiter(options.WarningInterval);
        factory = new ConnectionFactory
        {
            HostName = settings.HostName,
            Port = settings.Port,
            VirtualHost = settings.VirtualHost,
            UserName = settings.UserName,
            Password = settings.Password,
            RequestedHeartbeat = settings.Heartbeat,
            RequestedConnectionTimeout = options.BrokerTimeout,
            HandshakeContinuationTimeout = options.BrokerTimeout,
            ContinuationTimeout = options.BrokerTimeout,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            ClientProvidedName = "CellVision.Server",
            Ssl = new SslOption(settings.HostName, enabled: settings.UseTls),
        };
        buffer = Channel.CreateBounded<Item>(new BoundedChannelOptions(options.Capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        pump = Task.Run(PumpAsync);
    }

    /// <summary>The broker this publisher sends to.</summary>
    public RabbitMqSettings Settings => settings;

    /// <summary>
    /// Puts a message in the send buffer and returns at once; the background sender delivers it after every message
    /// published before it. If the buffer is full, or the publisher is disposed, the message is dropped (and a
    /// rate-limited warning logged).
    /// </summary>
    /// <param name="queue">The queue name, one of <see cref="ServerQueues"/>.</param>
    /// <param name="body">The message body, sent as UTF-8.</param>
    /// <param name="cancellationToken">Not used: buffering never waits.</param>
    /// <returns>A completed task.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="queue"/> or <paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="queue"/> is empty.</exception>
    public ValueTask PublishAsync(string queue, string body, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(body);
        if (Volatile.Read(ref disposed) != 0)
        {
            LogPublishedAfterDispose(logger, queue);
            return ValueTask.CompletedTask;
        }

        if (!buffer.Writer.TryWrite(new Item(queue, Encoding.UTF8.GetBytes(body), null)))
        {
            if (fullWarnings.ShouldReport(out var dropped))
            {
                LogBufferFull(logger, options.Capacity, settings, queue, dropped);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Waits until every message published before this call has been sent to the broker or dropped.</summary>
    /// <param name="cancellationToken">Stops waiting (the messages stay buffered).</param>
    /// <returns>A task that completes when the messages are gone from the buffer, or at once after disposal.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await buffer.Writer.WriteAsync(new Item(string.Empty, ReadOnlyMemory<byte>.Empty, flushed), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            await pump.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops accepting messages, sends those still buffered for at most
    /// <see cref="RabbitMqPublisherOptions.DisposeTimeout"/> (dropping the rest, with a warning), and closes the
    /// connection.
    /// </summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        buffer.Writer.TryComplete();
        var finished = await Task.WhenAny(pump, Task.Delay(options.DisposeTimeout)).ConfigureAwait(false);
        if (finished != pump)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
        }

        await CloseConnectionAsync().ConfigureAwait(false);
        if (undelivered > 0)
        {
            LogUndelivered(logger, undelivered, settings);
        }

        stopping.Dispose();
    }

    /// <summary>Disposes synchronously, blocking for as long as <see cref="DisposeAsync"/> takes.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task PumpAsync()
    {
        var reader = buffer.Reader;
        var stopping = this.stopping.Token;
        try
        {
            while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    if (item.Flushed is not null)
                    {
                        item.Flushed.TrySetResult();
                        continue;
                    }

                    await DeliverAsync(item, stopping).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposal ran out of time: what is left is dropped below.
        }

        while (reader.TryRead(out var item))
        {
            if (item.Flushed is not null)
            {
                item.Flushed.TrySetResult();
            }
            else
            {
                undelivered++;
            }
        }
    }

    private async Task DeliverAsync(Item item, CancellationToken stopping)
    {
        var queue = item.Queue;
        if (failedQueues.TryGetValue(queue, out var failed) && Environment.TickCount64 < failed.RetryAt)
        {
            failed.Errors.Count();
            return;
        }

        if (channel is not { IsOpen: true } && Environment.TickCount64 < reconnectAt)
        {
            ReportUnreachable(null);
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            var reusedChannel = channel is { IsOpen: true };
            var declaring = false;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(options.BrokerTimeout);
            try
            {
                var open = await GetChannelAsync(timeout.Token).ConfigureAwait(false);
                if (!declaredQueues.Contains(queue))
                {
                    declaring = true;
                    await Bounded(open.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false, arguments: null, cancellationToken: timeout.Token), timeout.Token).ConfigureAwait(false);
                    declaring = false;
                    declaredQueues.Add(queue);
                    failedQueues.Remove(queue);
                }

                await Bounded(open.BasicPublishAsync(string.Empty, queue, item.Body, timeout.Token).AsTask(), timeout.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                undelivered++;
                throw;
            }
            catch (OperationInterruptedException exception) when (declaring && connection is { IsOpen: true })
            {
                // The broker refused the declaration and closed the channel (e.g. PRECONDITION_FAILED: the queue exists
                // with other settings); the connection and the other queues are fine.
                await DropChannelAsync().ConfigureAwait(false);
                ReportQueueFailure(queue, exception);
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                await CloseConnectionAsync().ConfigureAwait(false);
                if (attempt == 0 && reusedChannel)
                {
                    // A connection that was open before may have been stale (e.g. the broker restarted): retry once on
                    // a fresh one before giving up on the message.
                    continue;
                }

                reconnectAt = Environment.TickCount64 + (long)retryDelay.TotalMilliseconds;
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, options.MaximumRetryDelay.Ticks));
                ReportUnreachable(exception);
                return;
            }
        }
    }

    private async Task<IChannel> GetChannelAsync(CancellationToken cancellationToken)
    {
        if (channel is { IsOpen: true } open)
        {
            return open;
        }

        if (channel is not null)
        {
            await DropChannelAsync().ConfigureAwait(false);
        }

        if (connection is not { IsOpen: true })
        {
            await CloseConnectionAsync().ConfigureAwait(false);
            var connecting = factory.CreateConnectionAsync(cancellationToken);
            try
            {
                connection = await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!connecting.IsCompleted)
            {
                // The client library does not always give up a stuck handshake when asked to; let it finish on its own
                // and close whatever it opens.
                _ = CloseAbandonedAsync(connecting);
                throw;
            }

            retryDelay = options.RetryDelay;
            reconnectAt = 0;
            if (unreachable)
            {
                unreachable = false;
                unreachableWarnings.Reset();
                LogReconnected(logger, settings, droppedWhileUnreachable);
                droppedWhileUnreachable = 0;
            }
            else
            {
                LogConnected(logger, settings);
            }
        }

        channel = await Bounded(connection.CreateChannelAsync(cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return channel;
    }

    private void ReportUnreachable(Exception? exception)
    {
        unreachable = true;
        droppedWhileUnreachable++;
        if (unreachableWarnings.ShouldReport(out var dropped))
        {
            LogUnreachable(logger, settings, exception is null ? "waiting to retry" : Describe(exception), dropped + 1);
        }
    }

    private void ReportQueueFailure(string queue, OperationInterruptedException exception)
    {
        if (!failedQueues.TryGetValue(queue, out var failed))
        {
            failed = (0, new RateLimiter(options.WarningInterval));
        }

        failedQueues[queue] = (Environment.TickCount64 + (long)options.MaximumRetryDelay.TotalMilliseconds, failed.Errors);
        if (failed.Errors.ShouldReport(out var dropped))
        {
            var reason = exception.ShutdownReason is { } reply
                ? $"{reply.ReplyCode} {reply.ReplyText}"
                : exception.Message;
            LogQueueRejected(logger, queue, settings, reason, dropped + 1);
        }
    }

    private async Task DropChannelAsync()
    {
        var channel = this.channel;
        this.channel = null;
        declaredQueues.Clear();
        if (channel is null)
        {
            return;
        }

        try
        {
            if (channel.IsOpen)
            {
                using var timeout = new CancellationTokenSource(options.BrokerTimeout);
                await channel.CloseAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The channel is being given up; its close failing changes nothing.
        }

        try
        {
            await channel.DisposeAsync().AsTask().WaitAsync(options.BrokerTimeout).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // As above.
        }
    }

    private async Task CloseConnectionAsync()
    {
        await DropChannelAsync().ConfigureAwait(false);
        var connection = this.connection;
        this.connection = null;
        if (connection is null)
        {
            return;
        }

        try
        {
            if (connection.IsOpen)
            {
                await connection.CloseAsync(options.BrokerTimeout).WaitAsync(options.BrokerTimeout * 2).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The connection is being given up; its close failing changes nothing.
        }

        try
        {
            await connection.DisposeAsync().AsTask().WaitAsync(options.BrokerTimeout).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // As above.
        }
    }

    // Waits for a broker operation for as long as the token allows; an operation given up is observed, so that its
    // late failure does not surface as an unobserved task exception.
    private static async Task Bounded(Task operation, CancellationToken cancellationToken)
    {
        try
        {
            await operation.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!operation.IsCompleted)
        {
            _ = operation.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    private static async Task<T> Bounded<T>(Task<T> operation, CancellationToken cancellationToken)
    {
        await Bounded((Task)operation, cancellationToken).ConfigureAwait(false);
        return await operation.ConfigureAwait(false);
    }

    private static async Task CloseAbandonedAsync(Task<IConnection> connecting)
    {
        try
        {
            var connection = await connecting.ConfigureAwait(false);
            await connection.AbortAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The attempt was given up already and reported as such.
        }
    }

    private static string Describe(Exception exception)
    {
        var builder = new StringBuilder(exception.Message);
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            builder.Append(": ").Append(inner.Message);
        }

        return builder.ToString();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Connected to the RabbitMQ broker {Broker}.")]
    private static partial void LogConnected(ILogger logger, RabbitMqSettings broker);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Connected to the RabbitMQ broker {Broker} again; {Dropped} progress messages were dropped while it could not be reached.")]
    private static partial void LogReconnected(ILogger logger, RabbitMqSettings broker, long dropped);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The RabbitMQ broker {Broker} cannot be reached ({Reason}); progress messages are dropped until it is back ({Dropped} dropped since the last warning).")]
    private static partial void LogUnreachable(ILogger logger, RabbitMqSettings broker, string reason, long dropped);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "The RabbitMQ queue '{Queue}' on {Broker} cannot be declared as the ELEPHANT client declares it (durable false, exclusive false, auto-delete false, no arguments); the broker answered: {Reason}. Messages to '{Queue}' are dropped ({Dropped} since the last report); delete the queue so that it is declared again.")]
    private static partial void LogQueueRejected(ILogger logger, string queue, RabbitMqSettings broker, string reason, long dropped);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "{Capacity} progress messages already wait for the RabbitMQ broker {Broker}; a message to '{Queue}' was dropped ({Dropped} more dropped since the last warning).")]
    private static partial void LogBufferFull(ILogger logger, int capacity, RabbitMqSettings broker, string queue, long dropped);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "{Count} progress messages still waited for the RabbitMQ broker {Broker} when the publisher was disposed; they were dropped.")]
    private static partial void LogUndelivered(ILogger logger, long count, RabbitMqSettings broker);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "A message to '{Queue}' was published after the RabbitMQ publisher was disposed; it was dropped.")]
    private static partial void LogPublishedAfterDispose(ILogger logger, string queue);

    private readonly record struct Item(string Queue, ReadOnlyMemory<byte> Body, TaskCompletionSource? Flushed);

    /// <summary>Lets one report through per interval and counts the events in between.</summary>
    private sealed class RateLimiter(TimeSpan interval)
    {
        private readonly Lock gate = new();
        private readonly long intervalMilliseconds = (long)interval.TotalMilliseconds;
        private bool reported;
        private long lastReport;
        private long suppressedCount;

        /// <summary>Records one event; true if it is to be reported, with the events suppressed since the last report.</summary>
        public bool ShouldReport(out long suppressed)
        {
            lock (gate)
            {
                var now = Environment.TickCount64;
                if (!reported || now - lastReport >= intervalMilliseconds)
                {
                    reported = true;
                    lastReport = now;
                    suppressed = suppressedCount;
                    suppressedCount = 0;
                    return true;
                }

                suppressedCount++;
                suppressed = 0;
                return false;
            }
        }

        /// <summary>Records one event that is not to be reported now.</summary>
        public void Count()
        {
            lock (gate)
            {
                suppressedCount++;
            }
        }

        public void Reset()
        {
            lock (gate)
            {
                reported = false;
                suppressedCount = 0;
            }
        }
    }
}
