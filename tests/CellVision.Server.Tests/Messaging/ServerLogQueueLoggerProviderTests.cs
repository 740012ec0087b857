using System.Text;
using CellVision.Server.Messaging;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Tests.Messaging;

public sealed class ServerLogQueueLoggerProviderTests
{
    [Fact]
    public void Records_at_information_and_above_are_published_with_python_level_names_and_lower_levels_are_not()
    {
        var publisher = new RecordingPublisher();
        using var provider = new ServerLogQueueLoggerProvider(publisher);
        var logger = provider.CreateLogger("CellVision.Server.Endpoints");

        logger.LogTrace("trace");
        logger.LogDebug("debug");
        logger.LogInformation("START {Method} {Path}", "POST", "/seg/train");
        logger.LogWarning("warning");
        logger.LogError("error");
        logger.LogCritical("critical");
        logger.Log(LogLevel.None, "none");

        Assert.Equal(
            [
                (ServerQueues.Log, "{\"level\": \"INFO\", \"message\": \"START POST /seg/train\"}"),
                (ServerQueues.Log, "{\"level\": \"WARNING\", \"message\": \"warning\"}"),
                (ServerQueues.Log, "{\"level\": \"ERROR\", \"message\": \"error\"}"),
                (ServerQueues.Log, "{\"level\": \"CRITICAL\", \"message\": \"critical\"}"),
            ],
            publisher.Messages);
        Assert.False(logger.IsEnabled(LogLevel.Debug));
        Assert.True(logger.IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void An_exception_is_appended_after_the_message_with_its_stack_trace()
    {
        var publisher = new RecordingPublisher();
        using var provider = new ServerLogQueueLoggerProvider(publisher);
        var logger = provider.CreateLogger("CellVision.Server.Endpoints");
        InvalidOperationException thrown;
        try
        {
            throw new InvalidOperationException("the model is missing");
        }
        catch (InvalidOperationException exception)
        {
            thrown = exception;
            logger.LogError(exception, "POST /seg/predict failed");
        }

        var body = Assert.Single(publisher.Messages).Body;
        var expected = ServerMessages.Log("ERROR", "POST /seg/predict failed\n" + thrown);
        Assert.Equal(expected, body);
        Assert.Contains("System.InvalidOperationException: the model is missing\\n   at ", body, StringComparison.Ordinal);
        Assert.Contains(nameof(An_exception_is_appended_after_the_message_with_its_stack_trace), body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_publishers_own_records_are_not_published()
    {
        var publisher = new RecordingPublisher();
        using var provider = new ServerLogQueueLoggerProvider(publisher);

        provider.CreateLogger(typeof(RabbitMqServerMessagePublisher).FullName!).LogWarning("The RabbitMQ broker cannot be reached");

        Assert.Empty(publisher.Messages);
    }

    [Fact]
    public void A_record_logged_while_publishing_does_not_recurse()
    {
        var publisher = new RecordingPublisher();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(new ServerLogQueueLoggerProvider(publisher)));
        var inner = factory.CreateLogger("CellVision.Server.Messaging.Other");
        publisher.OnPublish = () => inner.LogInformation("published");

        factory.CreateLogger("CellVision.Server.Endpoints").LogInformation("outer");

        Assert.Equal([(ServerQueues.Log, ServerMessages.Log("INFO", "outer"))], publisher.Messages);
    }

    [Fact]
    public void A_disposed_provider_publishes_nothing()
    {
        var publisher = new RecordingPublisher();
        var provider = new ServerLogQueueLoggerProvider(publisher);
        var logger = provider.CreateLogger("CellVision.Server.Endpoints");
        provider.Dispose();

        logger.LogInformation("after");

        Assert.Empty(publisher.Messages);
    }

    [Collection(BrokerTestGroup.Name)]
    public sealed class AgainstTheBroker
    {
        [BrokerFact]
        public async Task Information_records_reach_the_log_queue_and_debug_records_do_not()
        {
            await using var client = await ElephantClientConsumer.StartAsync(ServerQueues.Log);
            await using (var publisher = new RabbitMqServerMessagePublisher(RabbitMqSettings.Parse(TestBroker.RequiredUri)))
            {
                using var factory = LoggerFactory.Create(builder => builder
                    .SetMinimumLevel(LogLevel.Trace)
                    .AddProvider(new ServerLogQueueLoggerProvider(publisher)));
                var logger = factory.CreateLogger("CellVision.Server.Endpoints");
                logger.LogDebug("config {Config}", "{}");
                logger.LogInformation("START POST /seg/train");
                logger.LogDebug("loader rebuilt");
                logger.LogInformation("DONE POST /seg/train => [200]");
                await publisher.FlushAsync();
            }

            var received = await client.ReceiveAsync(ServerQueues.Log, 2);
            Assert.Equal(
                [
                    "{\"level\": \"INFO\", \"message\": \"START POST /seg/train\"}",
                    "{\"level\": \"INFO\", \"message\": \"DONE POST /seg/train => [200]\"}",
                ],
                received.Select(d => Encoding.UTF8.GetString(d.Body)));
            await client.AssertNoMoreAsync(ServerQueues.Log);
        }
    }
}
