using CellVision.Server.Messaging;

namespace CellVision.Server.Tests.Messaging;

public sealed class RabbitMqSettingsTests
{
    [Fact]
    public void Defaults_are_the_elephant_ones()
    {
        var settings = new RabbitMqSettings();

        Assert.Equal(("localhost", 5672, "/", "user", "user", false, TimeSpan.Zero), (settings.HostName, settings.Port, settings.VirtualHost, settings.UserName, settings.Password, settings.UseTls, settings.Heartbeat));
        Assert.Equal(settings, RabbitMqSettings.Parse("amqp://localhost"));
        Assert.Equal(settings, RabbitMqSettings.Parse("amqp://localhost/"));
        Assert.Equal(settings, RabbitMqSettings.Parse("amqp://localhost:5672/%2F"));
    }

    [Fact]
    public void Every_part_of_the_uri_is_read()
    {
        var settings = RabbitMqSettings.Parse(new Uri("amqps://cell%40lab:p%3Ass@broker.example:5999/ele%2Fphant?heartbeat=60"));

        Assert.Equal(
            new RabbitMqSettings { HostName = "broker.example", Port = 5999, VirtualHost = "ele/phant", UserName = "cell@lab", Password = "p:ss", UseTls = true, Heartbeat = TimeSpan.FromSeconds(60) },
            settings);
        Assert.Equal(5671, RabbitMqSettings.Parse("amqps://broker.example").Port);
        Assert.Equal("::1", RabbitMqSettings.Parse("amqp://[::1]:5673/").HostName);
    }

    [Theory]
    [InlineData("http://localhost/", "scheme 'http'")]
    [InlineData("amqp://user@localhost/", "user information 'user'")]
    [InlineData("amqp://:secret@localhost/", "user name")]
    [InlineData("amqp://localhost/a/b", "path '/a/b'")]
    [InlineData("amqp://localhost/?frame_max=10", "query parameter 'frame_max'")]
    [InlineData("amqp://localhost/?heartbeat=-1", "heartbeat '-1'")]
    [InlineData("amqp://localhost/#x", "fragment '#x'")]
    [InlineData("localhost:5672", "scheme 'localhost'")]
    [InlineData("not a uri", "not an absolute URI")]
    public void A_bad_part_is_named_in_the_error(string uri, string named)
    {
        var exception = Assert.Throws<ArgumentException>(() => RabbitMqSettings.Parse(uri));

        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_and_text_never_show_the_password()
    {
        var exception = Assert.Throws<ArgumentException>(() => RabbitMqSettings.Parse("amqp://user:hunter2@localhost/a/b"));
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);

        var settings = RabbitMqSettings.Parse("amqp://user:hunter2@localhost:5673/cells");
        Assert.Equal("amqp://user@localhost:5673/cells", settings.ToString());
        Assert.Equal("amqp://user@localhost:5672/", new RabbitMqSettings().ToString());
    }
}
