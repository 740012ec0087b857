using System.Diagnostics;
using System.Text;
using CellVision.Server.Messaging;
using Microsoft.Extensions.Logging;

namespace CellVision.Server.Tests.Messaging;

[Collection(BrokerTestGroup.Name)]
public sealed class RabbitMqServerMessagePublisherTests
{
    [BrokerFact]
    public async Task Each_queue_receives_the_exact_bytes_of_each_message_in_order()
    {
        await using var client = await ElephantClientConsumer.StartAsync(ServerQueues.Update, ServerQueues.Dataset, ServerQueues.Log, ServerQueues.Prediction);
        var logger = new RecordingLogger<RabbitMqServerMessagePublisher>();
        var expected = new Dictionary<string, List<string>>
        {
            [ServerQueues.Update] = [],
            [ServerQueues.Dataset] = [],
            [ServerQueues.Log] = [],
            [ServerQueues.Prediction] = [],
        };

        await using (var publisher = new RabbitMqServerMessagePublisher(RabbitMqSettings.Parse(TestBroker.RequiredUri), logger))
        {
            void Publish(string queue, string body)
            {
                Assert.True(CompletedAtOnce(publisher.PublishAsync(queue, body)), "publishing waited");
                expected[queue].Add(body);
            }

            const int timepoints = 200;
            for (var t = 1; t <= timepoints; t++)
            {
                Publish(ServerQueues.Dataset, ServerMessages.DatasetProgress(timepoints, t));
                if (t % 50 == 0)
                {
                    Publish(ServerQueues.Update, ServerMessages.ModelUpdated);
                    Publish(ServerQueues.Prediction, ServerMessages.PredictionUpdated);
                    Publish(ServerQueues.Log, ServerMessages.Log("INFO", $"Train Epoch: {t / 50} [5/5 (100%)]\tLoss: 0.{t:D6}"));
                }
            }

            Publish(ServerQueues.Log, ServerMessages.Log("WARNING", "voxel size 0.5 µm ≠ 1 µm\nsecond line"));
            Publish(ServerQueues.Log, ServerMessages.Log("ERROR", "\"quoted\" \\ \u0001"));
            await publisher.FlushAsync();
        }

        foreach (var (queue, bodies) in expected)
        {
            var received = await client.ReceiveAsync(queue, bodies.Count);
            Assert.Equal(bodies.Select(Encoding.UTF8.GetBytes), received.Select(d => d.Body));
            Assert.All(received, d => Assert.False(d.HasProperties, "a message carried properties"));
            await client.AssertNoMoreAsync(queue);
        }

        Assert.Equal([LogLevel.Information], logger.Entries.Select(e => e.Level));
        Assert.Contains("Connected to the RabbitMQ broker", logger.Entries[0].Message, StringComparison.Ordinal);
    }

    [BrokerFact]
    public async Task Messages_published_from_many_threads_all_arrive_each_thread_in_order()
    {
        await using var client = await ElephantClientConsumer.StartAsync(ServerQueues.Log);
        const int threads = 8;
        const int perThread = 100;
        await using (var publisher = new RabbitMqServerMessagePublisher(RabbitMqSettings.Parse(TestBroker.RequiredUri)))
        {
            await Task.WhenAll(Enumerable.Range(0, threads).Select(thread => Task.Run(async () =>
            {
                for (var i = 0; i < perThread; i++)
                {
                    await publisher.PublishAsync(ServerQueues.Log, ServerMessages.Log("INFO", $"{thread} {i}"));
                }
            })));
        }

        // Disposing flushed the buffer.
        var received = await client.ReceiveAsync(ServerQueues.Log, threads * perThread);
        var byThread = received
            .Select(d => Encoding.UTF8.GetString(d.Body))
            .Select(body => body["{\"level\": \"INFO\", \"message\": \"".Length..^2].Split(' ').Select(int.Parse).ToArray())
            .GroupBy(parts => parts[0], parts => parts[1]);
        Assert.Equal(threads, byThread.Count());
        Assert.All(byThread, group => Assert.Equal(Enumerable.Range(0, perThread), group));
    }

    [Fact]
    public async Task A_publisher_pointed_at_a_closed_port_does_not_throw_returns_promptly_and_warns_once()
    {
        var logger = new RecordingLogger<RabbitMqServerMessagePublisher>();
        var settings = new RabbitMqSettings { HostName = "127.0.0.1", Port = TestBroker.ClosedPort() };
        var stopwatch = Stopwatch.StartNew();
        var publisher = new RabbitMqServerMessagePublisher(settings, logger);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(CompletedAtOnce(publisher.PublishAsync(ServerQueues.Log, ServerMessages.Log("INFO", "message " + i))), "publishing waited for the broker");
        }

        var publishing = stopwatch.Elapsed;
        await publisher.FlushAsync();
        await publisher.DisposeAsync();
        stopwatch.Stop();

        Assert.True(publishing < TimeSpan.FromSeconds(1), $"1000 publications took {publishing}");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"flushing and disposing took {stopwatch.Elapsed}");
        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"amqp://user@127.0.0.1:{settings.Port}/ cannot be reached", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(":user@", warning.Message, StringComparison.Ordinal);

        // After disposal publishing still neither throws nor waits.
        Assert.True(CompletedAtOnce(publisher.PublishAsync(ServerQueues.Log, "late")));
    }

    [Fact]
    public async Task Warnings_about_an_unreachable_broker_repeat_after_the_interval_with_the_dropped_count()
    {
        var logger = new RecordingLogger<RabbitMqServerMessagePublisher>();
        var settings = new RabbitMqSettings { HostName = "127.0.0.1", Port = TestBroker.ClosedPort() };
        var options = new RabbitMqPublisherOptions { WarningInterval = TimeSpan.FromMilliseconds(200), RetryDelay = TimeSpan.FromMilliseconds(50) };
        await using var publisher = new RabbitMqServerMessagePublisher(settings, logger, options);
        for (var i = 0; i < 10; i++)
        {
            await publisher.PublishAsync(ServerQueues.Update, ServerMessages.ModelUpdated);
        }

        await publisher.FlushAsync();
        await Task.Delay(300);
        await publisher.PublishAsync(ServerQueues.Update, ServerMessages.ModelUpdated);
        await publisher.FlushAsync();

        Assert.Equal([LogLevel.Warning, LogLevel.Warning], logger.Entries.Select(e => e.Level));
        Assert.Contains("(1 dropped since the last warning)", logger.Entries[0].Message, StringComparison.Ordinal);
        Assert.Contains("(10 dropped since the last warning)", logger.Entries[1].Message, StringComparison.Ordinal);
    }

    [BrokerFact]
    public async Task After_the_connection_drops_the_next_message_reconnects()
    {
        await using var client = await ElephantClientConsumer.StartAsync(ServerQueues.Update);
        var broker = RabbitMqSettings.Parse(TestBroker.RequiredUri);
        await using var proxy = new CuttableTcpProxy(broker.HostName, broker.Port);
        var logger = new RecordingLogger<RabbitMqServerMessagePublisher>();
        await using (var publisher = new RabbitMqServerMessagePublisher(broker with { HostName = "127.0.0.1", Port = proxy.Port }, logger))
        {
            await publisher.PublishAsync(ServerQueues.Update, "one");
            await publisher.FlushAsync();
            Assert.Equal("one"u8.ToArray(), Assert.Single(await client.ReceiveAsync(ServerQueues.Update, 1)).Body);

            proxy.Cut();
            await Task.Delay(300);
            await publisher.PublishAsync(ServerQueues.Update, "two");
            await publisher.PublishAsync(ServerQueues.Update, "three");
            await publisher.FlushAsync();
        }

        var received = await client.ReceiveAsync(ServerQueues.Update, 2);
        Assert.Equal(["two", "three"], received.Select(d => Encoding.UTF8.GetString(d.Body)));
        Assert.Equal(2, proxy.ConnectionsAccepted);
        Assert.Equal(2, logger.Entries.Count(e => e.Message.StartsWith("Connected to the RabbitMQ broker", StringComparison.Ordinal)));
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_broker_that_accepts_but_never_answers_costs_the_caller_nothing_and_disposing_is_bounded()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var logger = new RecordingLogger<RabbitMqServerMessagePublisher>();
        var options = new RabbitMqPublisherOptions { BrokerTimeout = TimeSpan.FromMilliseconds(500), DisposeTimeout = TimeSpan.FromSeconds(1) };
        var publisher = new RabbitMqServerMessagePublisher(new RabbitMqSettings { HostName = "127.0.0.1", Port = port }, logger, options);

        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            Assert.True(CompletedAtOnce(publisher.PublishAsync(ServerQueues.Update, ServerMessages.ModelUpdated)), "publishing waited for the broker");
        }

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"100 publications took {stopwatch.Elapsed}");
        await publisher.DisposeAsync();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"publishing and disposing took {stopwatch.Elapsed}: " + string.Join(" | ", logger.Entries.Select(e => e.Message)));
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("cannot be reached", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_buffer_drops_new_messages_with_one_warning()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var logger = new RecordingLogger<RabbitMqServerMessagePublisher>();
        var options = new RabbitMqPublisherOptions { Capacity = 2, BrokerTimeout = TimeSpan.FromSeconds(2), DisposeTimeout = TimeSpan.Zero };
        var publisher = new RabbitMqServerMessagePublisher(new RabbitMqSettings { HostName = "127.0.0.1", Port = port }, logger, options);

        // The first message keeps the sender busy connecting to a broker that never answers; two more fill the buffer.
        await publisher.PublishAsync(ServerQueues.Update, "1");
        await Task.Delay(300);
        for (var i = 2; i <= 6; i++)
        {
            Assert.True(CompletedAtOnce(publisher.PublishAsync(ServerQueues.Update, i.ToString(System.Globalization.CultureInfo.InvariantCulture))), "publishing waited for the broker");
        }

        var full = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, full.Level);
        Assert.Contains("2 progress messages already wait", full.Message, StringComparison.Ordinal);
        Assert.Contains("a message to 'update' was dropped (0 more dropped since the last warning)", full.Message, StringComparison.Ordinal);

        await publisher.DisposeAsync();
        Assert.Contains(logger.Entries, e => e.Message.StartsWith("3 progress messages still waited", StringComparison.Ordinal));
    }

    [BrokerFact]
    public async Task A_wrong_password_is_a_warning_that_names_the_refusal()
    {
        var logger = new RecordingLogger<RabbitMqServerMessagePublisher>();
        var settings = RabbitMqSettings.Parse(TestBroker.RequiredUri) with { Password = "not-the-password" };
        await using (var publisher = new RabbitMqServerMessagePublisher(settings, logger))
        {
            await publisher.PublishAsync(ServerQueues.Update, ServerMessages.ModelUpdated);
            await publisher.FlushAsync();
        }

        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("ACCESS_REFUSED", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", warning.Message, StringComparison.Ordinal);
    }

    [BrokerFact]
    public async Task A_queue_declared_with_other_arguments_is_a_logged_error_and_the_other_queues_keep_working()
    {
        var queue = "cellvision-test-" + Guid.NewGuid().ToString("N");
        await using var connection = await TestBroker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?> { ["x-max-length"] = 10 });
        try
        {
            await using var client = await ElephantClientConsumer.StartAsync(ServerQueues.Update);
            var logger = new RecordingLogger<RabbitMqServerMessagePublisher>();
            await using (var publisher = new RabbitMqServerMessagePublisher(RabbitMqSettings.Parse(TestBroker.RequiredUri), logger))
            {
                await publisher.PublishAsync(ServerQueues.Update, "before");
                await publisher.PublishAsync(queue, "refused");
                await publisher.PublishAsync(ServerQueues.Update, "after");
                await publisher.PublishAsync(queue, "refused again");
                await publisher.FlushAsync();
            }

            var received = await client.ReceiveAsync(ServerQueues.Update, 2);
            Assert.Equal(["before", "after"], received.Select(d => Encoding.UTF8.GetString(d.Body)));
            var error = Assert.Single(logger.Entries, e => e.Level == LogLevel.Error);
            Assert.Contains($"The RabbitMQ queue '{queue}'", error.Message, StringComparison.Ordinal);
            Assert.Contains("406 PRECONDITION_FAILED", error.Message, StringComparison.Ordinal);
            Assert.Contains("x-max-length", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(logger.Entries, e => e.Level == LogLevel.Warning);

            var declared = await channel.QueueDeclarePassiveAsync(queue);
            Assert.Equal(0u, declared.MessageCount);
        }
        finally
        {
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }
    }

    private static bool CompletedAtOnce(ValueTask publication) => publication.IsCompletedSuccessfully;

    [Fact]
    public void Options_out_of_range_are_rejected_by_name()
    {
        var settings = new RabbitMqSettings();
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new RabbitMqServerMessagePublisher(settings, options: new RabbitMqPublisherOptions { Capacity = 0 }));
        Assert.Equal("Capacity", exception.ParamName);
        exception = Assert.Throws<ArgumentOutOfRangeException>(() => new RabbitMqServerMessagePublisher(settings, options: new RabbitMqPublisherOptions { BrokerTimeout = TimeSpan.Zero }));
        Assert.Equal("BrokerTimeout", exception.ParamName);
    }
}

[CollectionDefinition(Name)]
public sealed class BrokerTestGroup
{
    // The tests that use the broker's fixed queue names (update, dataset, log, prediction) run one at a time.
    public const string Name = "RabbitMQ broker";
}
