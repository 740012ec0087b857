using Microsoft.Extensions.Logging;

namespace CellVision.Server.Messaging;

/// <summary>
/// Sends every log record at <see cref="LogLevel.Information"/> or above to the <see cref="ServerQueues.Log"/> queue as
/// <see cref="ServerMessages.Log"/> bodies, which the ELEPHANT client appends to its server log window.
/// </summary>
/// <remarks>
/// <para>
/// Levels map to Python's names: Information → INFO, Warning → WARNING, Error → ERROR, Critical → CRITICAL; Trace
/// and Debug records are not sent. A record's exception is appended to its message after a line break, with its
/// stack trace (as Python's logging appends a traceback).
/// </para>
/// <para>
/// Logging never waits for the broker (the publisher buffers) and never recurses: records of the publisher's own
/// category (<see cref="RabbitMqServerMessagePublisher"/>), and records logged while this provider is publishing on
/// the same thread, are not sent. Configure it under the alias <c>ElephantLogQueue</c>
/// (e.g. <c>Logging:ElephantLogQueue:LogLevel:Default</c>).
/// </para>
/// </remarks>
[ProviderAlias("ElephantLogQueue")]
public sealed class ServerLogQueueLoggerProvider : ILoggerProvider
{
    private static readonly string PublisherCategory = typeof(RabbitMqServerMessagePublisher).FullName!;

    [ThreadStatic]
    private static bool publishing;

    private readonly Lazy<IServerMessagePublisher> publisher;
    private volatile bool disposed;

    /// <summary>Creates a provider that publishes through <paramref name="publisher"/>.</summary>
    /// <param name="publisher">The publisher; it is not disposed with the provider.</param>
    /// <exception cref="ArgumentNullException"><paramref name="publisher"/> is <see langword="null"/>.</exception>
    public ServerLogQueueLoggerProvider(IServerMessagePublisher publisher)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        this.publisher = new Lazy<IServerMessagePublisher>(publisher);
    }

    // For dependency injection: the publisher may itself need a logger, so it is resolved at the first record.
    internal ServerLogQueueLoggerProvider(Func<IServerMessagePublisher> publisher)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        this.publisher = new Lazy<IServerMessagePublisher>(publisher, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Creates the logger of one category.</summary>
    /// <param name="categoryName">The category, usually a type's full name.</param>
    /// <returns>The logger; records of the publisher's own category are never sent.</returns>
    public ILogger CreateLogger(string categoryName)
    {
        ArgumentNullException.ThrowIfNull(categoryName);
        return new QueueLogger(this, categoryName.StartsWith(PublisherCategory, StringComparison.Ordinal));
    }

    /// <summary>Stops sending records; the publisher stays as it is.</summary>
    public void Dispose() => disposed = true;

    /// <summary>The Python logging level name of a level, or <see langword="null"/> for levels that are not sent.</summary>
    internal static string? LevelName(LogLevel level) => level switch
    {
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "CRITICAL",
        _ => null,
    };

    private void Publish(string level, string message)
    {
        if (disposed || publishing)
        {
            return;
        }

        publishing = true;
        try
        {
            var pending = publisher.Value.PublishAsync(ServerQueues.Log, ServerMessages.Log(level, message));
            if (!pending.IsCompletedSuccessfully)
            {
                _ = ObserveAsync(pending);
            }
        }
        finally
        {
            publishing = false;
        }
    }

    // A publisher that does not complete at once must not hold up the logging call, and its failure must not surface
    // as an unobserved task exception.
    private static async Task ObserveAsync(ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Logging about a failure to log would recurse; the publisher reports its own failures.
        }
    }

    private sealed class QueueLogger(ServerLogQueueLoggerProvider provider, bool ignored) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => !ignored && LevelName(logLevel) is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (ignored || LevelName(logLevel) is not { } level)
            {
                return;
            }

            var message = formatter(state, exception);
            if (exception is not null)
            {
                message = message.Length == 0 ? exception.ToString() : message + "\n" + exception;
            }

            provider.Publish(level, message);
        }
    }
}
