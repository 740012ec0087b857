using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Messaging;

/// <summary>Registers the ELEPHANT progress messages (RabbitMQ) with a service collection.</summary>
public static class ServerMessagingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IServerMessagePublisher"/>: with a broker URI, a <see cref="RabbitMqServerMessagePublisher"/>
    /// (also registered as itself, with its <see cref="RabbitMqSettings"/>) and a <see cref="ServerLogQueueLoggerProvider"/>
    /// that sends log records of level Information and above to the <see cref="ServerQueues.Log"/> queue; without one,
    /// <see cref="NullServerMessagePublisher.Instance"/> and no logger provider.
    /// </summary>
    /// <remarks>
    /// The logger provider only sends warnings and above from the <c>Microsoft</c> and <c>System</c> categories (the
    /// framework's per-request Information records would otherwise flood the client's log window once a second, as it
    /// polls <c>/state/gpus</c>); configuration under <c>Logging:ElephantLogQueue</c> can change that. The publisher is
    /// created at its first use and disposed with the service provider, which sends what is still buffered.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="broker">
    /// The broker as an AMQP URI (see <see cref="RabbitMqSettings.Parse(Uri)"/>), e.g. <c>amqp://user:user@localhost:5672/</c>;
    /// <see langword="null"/> to publish nothing.
    /// </param>
    /// <param name="configure">Changes the publisher's buffering, timeouts and warning rate; the defaults if <see langword="null"/>.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="broker"/> is not a valid AMQP URI (the message names the part).</exception>
    public static IServiceCollection AddElephantServerMessaging(
        this IServiceCollection services,
        Uri? broker,
        Func<RabbitMqPublisherOptions, RabbitMqPublisherOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (broker is null)
        {
            services.AddSingleton<IServerMessagePublisher>(NullServerMessagePublisher.Instance);
            return services;
        }

        var settings = RabbitMqSettings.Parse(broker);
        var options = configure is null ? new RabbitMqPublisherOptions() : configure(new RabbitMqPublisherOptions());
        options.Validate();
        services.AddLogging(logging => logging
            .AddFilter<ServerLogQueueLoggerProvider>("Microsoft", LogLevel.Warning)
            .AddFilter<ServerLogQueueLoggerProvider>("System", LogLevel.Warning));
        services.AddSingleton(settings);
        services.AddSingleton(provider => new RabbitMqServerMessagePublisher(
            settings,
            provider.GetService<ILogger<RabbitMqServerMessagePublisher>>(),
            options));
        services.AddSingleton<IServerMessagePublisher>(provider => provider.GetRequiredService<RabbitMqServerMessagePublisher>());
        services.AddSingleton<ILoggerProvider>(provider =>
            new ServerLogQueueLoggerProvider(() => provider.GetRequiredService<IServerMessagePublisher>()));
        return services;
    }
}
