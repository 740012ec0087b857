using Microsoft.Extensions.Logging;

namespace CellVision.Server.Status;

/// <summary>
/// Keeps the server's log records at Information and above (framework categories from Warning) in the
/// <see cref="ServerLogRing"/> that the status page shows.
/// </summary>
/// <param name="ring">Where the records go.</param>
[ProviderAlias("ElephantStatusPage")]
internal sealed class StatusLoggerProvider(ServerLogRing ring) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName)
    {
        var framework = categoryName.StartsWith("Microsoft", StringComparison.Ordinal) || categoryName.StartsWith("System", StringComparison.Ordinal);
        return new RingLogger(ring, categoryName, framework ? LogLevel.Warning : LogLevel.Information);
    }

    public void Dispose()
    {
    }

    private sealed class RingLogger(ServerLogRing ring, string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            ring.Add(logLevel, category, exception is null ? message : $"{message}: {exception.GetType().Name}: {exception.Message}");
        }
    }
}
