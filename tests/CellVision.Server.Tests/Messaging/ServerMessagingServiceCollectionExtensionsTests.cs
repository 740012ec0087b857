using System.Text;
using CellVision.Server.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Tests.Messaging;

public sealed class ServerMessagingServiceCollectionExtensionsTests
{
    [Fact]
    public async Task Without_a_broker_the_null_publisher_is_registered_and_no_log_queue_provider()
    {
        await using var services = new ServiceCollection().AddLogging().AddElephantServerMessaging(null).BuildServiceProvider();

        Assert.Same(NullServerMessagePublisher.Instance, services.GetRequiredService<IServerMessagePublisher>());
        Assert.DoesNotContain(services.GetServices<ILoggerProvider>(), p => p is ServerLogQueueLoggerProvider);
    }

    [Fact]
    public async Task With_a_broker_the_rabbitmq_publisher_and_the_log_queue_provider_are_registered()
    {
        var port = TestBroker.ClosedPort();
        await using var services = new ServiceCollection()
            .AddElephantServerMessaging(new Uri($"amqp://elephant:secret@127.0.0.1:{port}/cells"), options => options with { DisposeTimeout = TimeSpan.FromSeconds(1) })
            .BuildServiceProvider();

        var publisher = Assert.IsType<RabbitMqServerMessagePublisher>(services.GetRequiredService<IServerMessagePublisher>());
        Assert.Same(publisher, services.GetRequiredService<RabbitMqServerMessagePublisher>());
        Assert.Equal(new RabbitMqSettings { HostName = "127.0.0.1", Port = port, VirtualHost = "cells", UserName = "elephant", Password = "secret" }, publisher.Settings);
        Assert.Single(services.GetServices<ILoggerProvider>(), p => p is ServerLogQueueLoggerProvider);

        // The provider resolves the publisher, which itself takes a logger, at the first record: no cycle, no wait.
        var logger = services.GetRequiredService<ILogger<ServerMessagingServiceCollectionExtensionsTests>>();
        logger.LogInformation("first record");
        logger.LogError(new InvalidOperationException("boom"), "second record");
        await publisher.FlushAsync();
    }

    [Fact]
    public async Task A_service_provider_disposed_synchronously_disposes_the_publisher()
    {
        var services = new ServiceCollection()
            .AddElephantServerMessaging(new Uri($"amqp://127.0.0.1:{TestBroker.ClosedPort()}/"))
            .BuildServiceProvider();
        var publisher = services.GetRequiredService<RabbitMqServerMessagePublisher>();

        // A service provider disposed synchronously throws for a singleton that is only IAsyncDisposable.
        services.Dispose();

        // After disposal publishing and flushing still return at once.
        await publisher.PublishAsync(ServerQueues.Update, ServerMessages.ModelUpdated);
        await publisher.FlushAsync().WaitAsync(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_bad_broker_uri_fails_at_registration()
    {
        var exception = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddElephantServerMessaging(new Uri("http://localhost:5672/")));
        Assert.Contains("scheme 'http'", exception.Message, StringComparison.Ordinal);
    }

    [Collection(BrokerTestGroup.Name)]
    public sealed class AgainstTheBroker
    {
        [BrokerFact]
        public async Task Log_records_reach_the_log_queue_and_framework_information_records_do_not()
        {
            await using var client = await ElephantClientConsumer.StartAsync(ServerQueues.Log, ServerQueues.Update);
            await using (var services = new ServiceCollection().AddElephantServerMessaging(TestBroker.RequiredUri).BuildServiceProvider())
            {
                var loggers = services.GetRequiredService<ILoggerFactory>();
                loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").LogInformation("Request starting HTTP/1.1 GET /state/gpus");
                loggers.CreateLogger("CellVision.Server.Endpoints").LogInformation("START POST /seg/update");
                loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").LogWarning("connection reset");
                await services.GetRequiredService<IServerMessagePublisher>().PublishAsync(ServerQueues.Update, ServerMessages.ModelUpdated);
            }

            // Disposing the service provider flushed the publisher.
            var log = await client.ReceiveAsync(ServerQueues.Log, 2);
            Assert.Equal(
                [
                    "{\"level\": \"INFO\", \"message\": \"START POST /seg/update\"}",
                    "{\"level\": \"WARNING\", \"message\": \"connection reset\"}",
                ],
                log.Select(d => Encoding.UTF8.GetString(d.Body)));
            Assert.Equal("Model updated"u8.ToArray(), Assert.Single(await client.ReceiveAsync(ServerQueues.Update, 1)).Body);
            await client.AssertNoMoreAsync(ServerQueues.Log);
        }
    }
}
