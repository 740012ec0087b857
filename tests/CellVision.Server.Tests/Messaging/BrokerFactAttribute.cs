namespace CellVision.Server.Tests.Messaging;

/// <summary>
/// A test that needs a real RabbitMQ broker: it is reported as skipped, with the reason, when
/// <c>CELLVISION_TEST_RABBITMQ</c> (an AMQP URI, set by test.sh through scripts/rabbitmq-test-broker.sh) is not set.
/// </summary>
public sealed class BrokerFactAttribute : FactAttribute
{
    public BrokerFactAttribute()
    {
        if (TestBroker.Uri is null)
        {
            Skip = $"{TestBroker.Variable} is not set: no RabbitMQ broker to test against (test.sh starts one with scripts/rabbitmq-test-broker.sh).";
        }
    }
}
