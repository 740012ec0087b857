namespace CellVision.Server.Messaging;

/// <summary>How <see cref="RabbitMqServerMessagePublisher"/> buffers, reconnects and reports.</summary>
public sealed record RabbitMqPublisherOptions
{
    /// <summary>
    /// How many messages may wait for the broker; a message published while that many wait is dropped (and counted in
    /// a warning). Default 10,000.
    /// </summary>
    public int Capacity { get; init; } = 10_000;

    /// <summary>
    /// How long connecting to the broker, or declaring a queue and publishing one message, may take before the
    /// connection is given up (the heartbeat is off, so a broker that stopped answering is noticed only this way).
    /// Default 5 s.
    /// </summary>
    public TimeSpan BrokerTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The wait before the first reconnection attempt after the broker could not be reached; it doubles after each
    /// failed attempt up to <see cref="MaximumRetryDelay"/>. Messages published meanwhile are dropped. Default 1 s.
    /// </summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnection attempts. Default 30 s.</summary>
    public TimeSpan MaximumRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The shortest time between two warnings about the same problem (broker unreachable, a queue that cannot be
    /// declared, a full buffer); the messages dropped in between are counted in the next warning. Default 30 s.
    /// </summary>
    public TimeSpan WarningInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long disposing waits for the messages still buffered to reach the broker. Default 5 s.</summary>
    public TimeSpan DisposeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        if (Capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, "The buffer capacity must be at least 1.");
        }

        RequirePositive(BrokerTimeout, nameof(BrokerTimeout));
        RequirePositive(RetryDelay, nameof(RetryDelay));
        RequirePositive(MaximumRetryDelay, nameof(MaximumRetryDelay));
        if (WarningInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(WarningInterval), WarningInterval, "The warning interval must not be negative.");
        }

        if (DisposeTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DisposeTimeout), DisposeTimeout, "The dispose timeout must not be negative.");
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
        }
    }
}
