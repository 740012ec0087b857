using System.Text;
using CellVision.Server.Messaging;
using CellVision.Server.Tests.Infrastructure;

namespace CellVision.Server.Tests.Messaging;

/// <summary>The whole server with its RabbitMQ publisher: what the ELEPHANT client receives on its queues.</summary>
public sealed class ServerOverBrokerTests
{
    [BrokerFact]
    public async Task Dataset_generation_and_a_prediction_reach_the_clients_queues()
    {
        await using var consumer = await ElephantClientConsumer.StartAsync(ServerQueues.Dataset, ServerQueues.Log, ServerQueues.Prediction);
        await using (var server = await ElephantTestServer.StartAsync(broker: TestBroker.RequiredUri))
        {
            await server.PrepareTinyDatasetAsync();
            using var predict = await server.PostJsonAsync("seg/predict", ClientJson.Predict(1));
            Assert.Equal(200, (int)predict.StatusCode);

            var dataset = await consumer.ReceiveAsync(ServerQueues.Dataset, 3);
            Assert.Equal(
                [ServerMessages.DatasetProgress(3, 1), ServerMessages.DatasetProgress(3, 2), ServerMessages.DatasetProgress(3, 3)],
                dataset.Select(d => Encoding.UTF8.GetString(d.Body)));
            Assert.All(dataset, d => Assert.False(d.HasProperties));
            var prediction = await consumer.ReceiveAsync(ServerQueues.Prediction, 1);
            Assert.Equal(ServerMessages.PredictionUpdated, Encoding.UTF8.GetString(prediction[0].Body));
        }

        // The request log arrives as the client's log window reads it: one JSON record per line, in order.
        var logs = new List<string>();
        while (!logs.Contains(ServerMessages.Log("INFO", "DONE POST /seg/predict => [200]")))
        {
            logs.Add(Encoding.UTF8.GetString((await consumer.ReceiveAsync(ServerQueues.Log, 1))[0].Body));
        }

        var start = logs.IndexOf(ServerMessages.Log("INFO", "START POST /dataset/generate"));
        Assert.True(start >= 0, "the generation's START record arrived");
        Assert.True(logs.IndexOf(ServerMessages.Log("INFO", "START POST /seg/predict")) > start);
    }
}
